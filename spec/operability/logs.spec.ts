import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { signBody } from '../../src/ingress/signature.js';
import { PACKAGE_ROOT } from '../../src/mapping/default-mapping.js';
import { startService, WEBHOOK_PATH, type RunningService } from '../../src/service/service.js';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira/index.js';
import { startPortSimulator, type PortSimulator } from '../../src/simulators/port/index.js';
import { JIRA_EMAIL, JIRA_TOKEN, TEST_SECRET } from '../support/harness.js';
import { serviceConfig } from '../support/service-harness.js';
import { freePort } from './free-port.js';
import { captureLogs, type CapturedLogs } from './log-capture.js';

const FEED_TOKEN = 'feed-token-for-the-log-test';

/** Opens a feed client and waits until it is open or rejected. */
async function connectFeed(url: string): Promise<WebSocket> {
  const client = new WebSocket(url);
  await new Promise((resolve) => client.once('open', resolve).once('error', resolve).once('unexpected-response', resolve));
  return client;
}

describe('logs of a full run', () => {
  let jira: JiraSimulator;
  let port: PortSimulator;
  let service: RunningService;
  let logs: CapturedLogs;
  let dataDir: string;

  before(async () => {
    jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
    port = await startPortSimulator();
    dataDir = mkdtempSync(join(tmpdir(), 'jps-logs-'));
    logs = captureLogs('trace');
    const listenPort = await freePort();
    const base = serviceConfig(jira, port, dataDir, { feedToken: FEED_TOKEN });
    const config = { ...base, server: { host: '127.0.0.1', port: listenPort }, webhook: { ...base.webhook, publicUrl: `http://127.0.0.1:${listenPort}` } };
    service = await startService(config, logs.logger);
    await service.webhookRegistration;

    const feedUrl = `${service.url.replace('http', 'ws')}/feed`;
    const clients = [await connectFeed(`${feedUrl}?token=${FEED_TOKEN}`), await connectFeed(`${feedUrl}?token=wrong-${FEED_TOKEN}`)];

    jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    const issue = jira.state.createIssue({ projectKey: 'CAT', summary: 'Logged' });
    port.state.expireTokens();
    jira.state.updateIssue(issue.key, { summary: 'Logged again' });
    const forged = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { id: issue.id, key: issue.key } });
    await fetch(`${service.url}${WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': signBody('forged-secret', forged) }, body: forged });
    await fetch(`${service.url}/readyz`).then((response) => response.arrayBuffer());
    await jira.state.settled();
    await service.stream.settled(30_000);

    for (const client of clients) client.terminate();
    await service.close();
  });

  after(async () => {
    await jira.close();
    await port.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('contain no configured secret', () => {
    const text = logs.text();
    const secrets = {
      JIRA_API_TOKEN: JIRA_TOKEN,
      'Jira basic auth': Buffer.from(`${JIRA_EMAIL}:${JIRA_TOKEN}`).toString('base64'),
      PORT_CLIENT_SECRET: port.clientSecret,
      WEBHOOK_SECRET: TEST_SECRET,
      FEED_TOKEN,
    };

    for (const [name, secret] of Object.entries(secrets)) assert.equal(text.includes(secret), false, `${name} appears in the logs`);
  });

  test('contain no Port access token', () => {
    const text = logs.text();
    const tokens = port.state.issuedTokens();

    assert.ok(tokens.length >= 2, 'expected a token refresh during the run');
    for (const token of tokens) assert.equal(text.includes(token), false, 'a Port access token appears in the logs');
  });

  test('delivery lines carry id and event', () => {
    const single = logs.lines().filter((line) => 'deliveryId' in line);
    const grouped = logs.lines().filter((line) => 'deliveryIds' in line);

    assert.ok(single.length >= 3, `expected delivery lines, got ${single.length}`);
    for (const line of single) assert.ok('webhookEvent' in line, `no webhookEvent in ${JSON.stringify(line)}`);
    for (const line of grouped) assert.equal((line['webhookEvents'] as unknown[] | undefined)?.length, (line['deliveryIds'] as unknown[]).length, JSON.stringify(line));
  });

  test('record the webhook registration', () => {
    assert.ok(logs.lines().some((line) => line['msg'] === 'Jira webhook registered'));
  });
});

describe('serve with logging.pretty', () => {
  test('prints human-readable lines', async (t) => {
    const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
    const port = await startPortSimulator();
    const folder = mkdtempSync(join(tmpdir(), 'jps-pretty-'));
    const configPath = join(folder, 'config.yaml');
    writeFileSync(configPath, [
      'jira:', `  baseUrl: ${jira.url}`, `  email: ${JIRA_EMAIL}`,
      'port:', `  baseUrl: ${port.url}`, `  clientId: ${port.clientId}`,
      'server:', '  port: 0',
      'eventLog:', `  path: ${join(folder, 'events.db')}`,
      'logging:', '  level: info', '  pretty: true',
    ].join('\n'));
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js'), 'serve', '--config', configPath], {
      env: { PATH: process.env['PATH'], JIRA_API_TOKEN: JIRA_TOKEN, PORT_CLIENT_SECRET: port.clientSecret, WEBHOOK_SECRET: TEST_SECRET, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(async () => {
      child.kill('SIGKILL');
      await jira.close();
      await port.close();
      rmSync(folder, { recursive: true, force: true });
    });

    let output = '';
    const started = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not log "service started" within 20 s:\n${output}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        // pino-pretty colors its output even when stdout is not a terminal.
        output += chunk.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '');
        const url = /url: "(http:\/\/127\.0\.0\.1:\d+)"/.exec(output)?.[1];
        if (url === undefined || !output.includes('service started')) return;
        clearTimeout(timer);
        resolve(url);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${String(code)} before it started:\n${output}`)));
    });
    const url = await started;
    const readiness = await fetch(`${url}/readyz`);
    await readiness.arrayBuffer();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');

    const firstLine = output.split('\n')[0] ?? '';
    assert.throws(() => JSON.parse(firstLine), SyntaxError);
    assert.match(output, /INFO.*service started/);
    assert.equal(readiness.status, 200);
    assert.equal(await exited, 0);
  });
});
