import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { CheckItem, CheckReport } from '../../src/config/check/check-report.js';
import { runCheck } from '../../src/config/check/run-check.js';
import { check } from '../../src/cli/commands/check.js';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira/index.js';
import { startPortSimulator, type PortSimulator } from '../../src/simulators/port/index.js';
import { freePort } from '../operability/free-port.js';

const EMAIL = 'ops@example.com';
const JIRA_TOKEN = 'check-jira-token';

const ISSUE_RESOURCE = (jql: string, title = '.fields.summary', blueprint = '\'"jiraIssue"\'') => `  - kind: issue
    selector:
      query: "true"
      jql: ${JSON.stringify(jql)}
    port:
      entity:
        mappings:
          identifier: .key
          title: ${title}
          blueprint: ${blueprint}
`;

const PROJECT_RESOURCE = `  - kind: project
    selector:
      query: "true"
    port:
      entity:
        mappings:
          identifier: .key
          blueprint: '"jiraProject"'
`;

interface Setup {
  readonly jql?: string;
  readonly title?: string;
  readonly blueprint?: string;
  readonly jiraUrl?: string;
  /** Extra YAML appended to the configuration file. */
  readonly extra?: string;
}

describe('check', () => {
  let jira: JiraSimulator;
  let port: PortSimulator;
  let folder: string;
  let env: NodeJS.ProcessEnv;
  let files = 0;

  before(async () => {
    jira = await startJiraSimulator({ auth: { email: EMAIL, apiToken: JIRA_TOKEN } });
    port = await startPortSimulator();
    folder = mkdtempSync(join(tmpdir(), 'jps-check-'));
    env = { JIRA_API_TOKEN: JIRA_TOKEN, PORT_CLIENT_SECRET: port.clientSecret, WEBHOOK_SECRET: 'check-webhook-secret' };
  });

  after(async () => {
    await jira.close();
    await port.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Writes a mapping and a configuration file for the simulators and returns the configuration's path. */
  function writeSetup(setup: Setup = {}): string {
    files += 1;
    const mapping = join(folder, `mapping-${files}.yaml`);
    writeFileSync(mapping, `resources:\n${ISSUE_RESOURCE(setup.jql ?? 'project = CAT ORDER BY updated', setup.title, setup.blueprint)}${PROJECT_RESOURCE}`);
    const config = join(folder, `config-${files}.yaml`);
    writeFileSync(config, [
      'jira:',
      `  baseUrl: ${setup.jiraUrl ?? jira.url}`,
      `  email: ${EMAIL}`,
      'port:',
      `  baseUrl: ${port.url}`,
      `  clientId: ${port.clientId}`,
      `mapping: ${mapping}`,
      'eventLog:',
      `  path: ${join(folder, 'data', 'events.db')}`,
      setup.extra ?? '',
    ].join('\n'));
    return config;
  }

  function itemAt(report: CheckReport, subject: string): CheckItem {
    const found = report.items.find((item) => item.subject === subject);
    assert.ok(found, `no item for ${subject}; got ${report.items.map((item) => item.subject).join(' | ')}`);
    return found;
  }

  test('clean setup has no errors', async () => {
    const report = await runCheck(writeSetup(), env);

    assert.equal(report.errors, 0, JSON.stringify(report.items, null, 2));
    assert.equal(itemAt(report, 'resources[0].selector.jql').status, 'ok');
    assert.equal(itemAt(report, jira.url).status, 'ok');
    assert.equal(itemAt(report, port.url).status, 'ok');
    assert.equal(itemAt(report, 'blueprint jiraIssue').status, 'ok');
    assert.equal(itemAt(report, 'webhook.publicUrl').status, 'skipped');
  });

  test('invalid JQL is an error at its resource', async () => {
    const report = await runCheck(writeSetup({ jql: 'project = CAT AND statuss = "To Do"' }), env);
    const item = itemAt(report, 'resources[0].selector.jql');

    assert.equal(item.status, 'error');
    assert.match(item.message, /Field 'statuss' does not exist/);
    assert.equal(report.errors, 1);
  });

  test('webhook JQL filter is validated', async () => {
    const report = await runCheck(writeSetup({ extra: 'webhook:\n  jqlFilter: "project = = CAT"\n' }), env);

    assert.equal(itemAt(report, 'webhook.jqlFilter').status, 'error');
  });

  test('broken JQ expression is a mapping error', async () => {
    const report = await runCheck(writeSetup({ title: '.fields.summary |' }), env);
    const item = itemAt(report, 'resources[0].port.entity.mappings.title');

    assert.equal(item.area, 'mapping');
    assert.equal(item.status, 'error');
    assert.match(item.message, /is not a valid JQ expression/);
  });

  test('missing blueprint is an error', async () => {
    const report = await runCheck(writeSetup({ blueprint: '\'"noSuchBlueprint"\'' }), env);
    const item = itemAt(report, 'blueprint noSuchBlueprint');

    assert.equal(item.status, 'error');
    assert.match(item.message, /does not exist in Port, so upserts from resources\[0\] fail/);
  });

  test('blueprint read from the item is skipped', async () => {
    const report = await runCheck(writeSetup({ blueprint: '.fields.issuetype.name' }), env);

    assert.equal(itemAt(report, 'resources[0].port.entity.mappings.blueprint').status, 'skipped');
  });

  test('rejected Jira token', async () => {
    const report = await runCheck(writeSetup(), { ...env, JIRA_API_TOKEN: 'wrong-token' });
    const item = itemAt(report, jira.url);

    assert.equal(item.status, 'error');
    assert.match(item.message, /Jira rejected the credentials/);
    assert.equal(item.fix, 'check jira.email and JIRA_API_TOKEN');
  });

  test('unreachable Jira', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;

    const report = await runCheck(writeSetup({ jiraUrl: url }), env);
    const item = itemAt(report, url);

    assert.equal(item.status, 'error');
    assert.match(item.message, /Jira could not be reached/);
  });

  test('rejected Port secret', async () => {
    const report = await runCheck(writeSetup(), { ...env, PORT_CLIENT_SECRET: 'wrong-secret' });
    const item = itemAt(report, port.url);

    assert.equal(item.status, 'error');
    assert.equal(item.fix, 'check port.clientId and PORT_CLIENT_SECRET');
  });

  test('configuration error stops the check', async () => {
    const report = await runCheck(writeSetup({ extra: 'sevrer:\n  port: 8000\n' }), env);

    assert.equal(itemAt(report, 'sevrer').status, 'error');
    assert.equal(report.items.some((item) => item.area === 'jira'), false);
  });

  test('webhook to be registered', async () => {
    const report = await runCheck(writeSetup({ extra: 'webhook:\n  publicUrl: http://127.0.0.1:9/jps\n' }), env);
    const item = itemAt(report, 'http://127.0.0.1:9/jps/integration/webhook');

    assert.equal(item.status, 'ok');
    assert.match(item.message, /not registered yet; serve registers it with 16 events and the secret/);
  });

  test('plain http public URL warns', async () => {
    const report = await runCheck(writeSetup({ extra: 'webhook:\n  publicUrl: http://jps.example.com\n' }), env);
    const warning = report.items.find((item) => item.area === 'webhook' && item.status === 'warning');

    assert.match(warning?.message ?? '', /only to HTTPS URLs/);
  });

  test('registered webhook that differs warns', async () => {
    const url = 'http://127.0.0.1:9/differs/integration/webhook';
    jira.state.dispatcher.registry.register({ name: 'old', url, events: ['jira:issue_created'], enabled: false });

    const report = await runCheck(writeSetup({ extra: 'webhook:\n  publicUrl: http://127.0.0.1:9/differs\n' }), env);
    const messages = report.items.filter((item) => item.area === 'webhook' && item.status === 'warning').map((item) => item.message);

    assert.ok(messages.some((message) => message.startsWith('events the mapping needs are not subscribed: ')), messages.join('\n'));
    assert.ok(messages.includes('the webhook is disabled, so Jira sends nothing'), messages.join('\n'));
    assert.ok(messages.includes('the webhook has no secret, so its deliveries fail the signature check (401)'), messages.join('\n'));
    assert.equal(report.errors, 0);
  });

  test('exit code and text output', async () => {
    const chunks: string[] = [];
    const output = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });

    const code = await check(['--config', writeSetup({ jql: 'project = CAT AND statuss = "To Do"' })], output, env);
    const text = chunks.join('');

    assert.equal(code, 1);
    assert.match(text, /^ {2}error {3}resources\[0\]\.selector\.jql: Jira rejected the JQL/m);
    assert.match(text, /Result: 1 error, \d+ warnings?\. Fix the errors above and run check again\./);
  });

  test('JSON output of a clean setup', async () => {
    const chunks: string[] = [];
    const output = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });

    const code = await check(['--config', writeSetup(), '--json'], output, env);
    const report = JSON.parse(chunks.join('')) as CheckReport;

    assert.equal(code, 0);
    assert.equal(report.errors, 0);
  });
});

describe('check without admin permission', () => {
  test('warns when publicUrl is set', async (t) => {
    const jira = await startJiraSimulator({ auth: { email: EMAIL, apiToken: JIRA_TOKEN }, admin: false });
    const port = await startPortSimulator();
    const folder = mkdtempSync(join(tmpdir(), 'jps-check-'));
    t.after(async () => {
      await jira.close();
      await port.close();
      rmSync(folder, { recursive: true, force: true });
    });
    const config = join(folder, 'config.yaml');
    writeFileSync(config, `jira:\n  baseUrl: ${jira.url}\n  email: ${EMAIL}\nport:\n  baseUrl: ${port.url}\n  clientId: ${port.clientId}\nwebhook:\n  publicUrl: http://127.0.0.1:9\n`);

    const report = await runCheck(config, { JIRA_API_TOKEN: JIRA_TOKEN, PORT_CLIENT_SECRET: port.clientSecret, WEBHOOK_SECRET: 's' });
    const admin = report.items.find((item) => item.subject === 'Administer Jira');

    assert.equal(admin?.status, 'warning');
    assert.match(admin?.fix ?? '', /create the webhook by hand/);
    assert.equal(report.items.find((item) => item.area === 'webhook' && item.subject.endsWith('/integration/webhook'))?.status, 'skipped');
  });
});
