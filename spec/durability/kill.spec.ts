import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteEventLog } from '../../src/log/sqlite-event-log.js';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira/index.js';
import { seededRandom } from '../../src/simulators/jira/random.js';
import { startPortSimulator } from '../../src/simulators/port/index.js';
import { JIRA_EMAIL, JIRA_TOKEN, TEST_SECRET } from '../support/harness.js';
import { actualIssues, expectedIssues } from '../support/oracle.js';
import { sleep, startServiceChild, waitUntil, writeConfigFile, type ServiceChild } from './durability-support.js';

const SEED = 7;
const OPERATIONS = 300;
const KILLS = 3;

/** A webhook delivery as Jira sent it: the headers the ingress needs and the raw body. */
interface CapturedDelivery {
  readonly identifier: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Counts of the run, reported as a test diagnostic. */
interface KillRunNumbers {
  sent: number;
  attempts: number;
  acknowledged: number;
  kills: number;
  lost: number;
}

/**
 * Receives the Jira simulator's webhooks in place of the service and queues
 * them, so that the test can keep sending each one until the service
 * acknowledges it, across kills and restarts (Jira gives up after 5 retries).
 */
async function startRelay(t: TestContext, queue: CapturedDelivery[]): Promise<string> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'x-atlassian-webhook-identifier', 'x-atlassian-webhook-flow', 'x-hub-signature']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      queue.push({ identifier: headers['x-atlassian-webhook-identifier'] ?? '', headers, body: Buffer.concat(chunks) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
}

/**
 * Send queued deliveries to the service with `workers` requests at once,
 * retrying each one after a failure or a non-2xx status until it is
 * acknowledged. Resolves when `finished()` is true and the queue is empty.
 */
async function sendUntilAcknowledged(
  queue: CapturedDelivery[],
  serviceUrl: () => string,
  numbers: KillRunNumbers,
  acknowledged: Set<string>,
  finished: () => boolean,
  workers = 4,
): Promise<void> {
  const worker = async (): Promise<void> => {
    for (;;) {
      const delivery = queue.shift();
      if (delivery === undefined) {
        if (finished()) return;
        await sleep(5);
        continue;
      }

      numbers.attempts += 1;
      const status = await fetch(`${serviceUrl()}/integration/webhook`, { method: 'POST', headers: delivery.headers, body: new Uint8Array(delivery.body) })
        .then((response) => response.status)
        .catch(() => 0);
      if (status >= 200 && status < 300) {
        acknowledged.add(delivery.identifier);
        continue;
      }
      queue.unshift(delivery);
      await sleep(25);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

/** Apply `OPERATIONS` seeded random changes to Jira: creates, summary updates, deletes and moves between two projects. */
async function changeJira(jira: JiraSimulator, random: () => number): Promise<void> {
  const keys: string[] = [];
  for (let step = 0; step < OPERATIONS; step += 1) {
    const roll = random();
    const pick = (): string => keys[Math.floor(random() * keys.length)] as string;

    if (keys.length < 5 || roll < 0.3) {
      keys.push(jira.state.createIssue({ projectKey: random() < 0.5 ? 'ALPHA' : 'BETA', summary: `Issue ${step}` }).key);
    } else if (roll < 0.8) {
      jira.state.updateIssue(pick(), { summary: `Updated at step ${step}` });
    } else if (roll < 0.93) {
      const key = pick();
      jira.state.deleteIssue(key);
      keys.splice(keys.indexOf(key), 1);
    } else {
      const key = pick();
      const moved = jira.state.moveIssue(key, key.startsWith('ALPHA') ? 'BETA' : 'ALPHA');
      keys.splice(keys.indexOf(key), 1, moved.key);
    }
    await sleep(10);
  }
}

/** Read how many of the acknowledged deliveries have a stored processed result, from a read-only connection. */
function processedCount(path: string, identifiers: ReadonlySet<string>): number {
  const database = new Database(path, { readonly: true });
  try {
    const rows = database.prepare('SELECT DISTINCT delivery_id AS id FROM processed_results').all() as Array<{ id: string }>;
    return rows.filter((row) => identifiers.has(row.id)).length;
  } finally {
    database.close();
  }
}

describe('kill -9 durability', () => {
  test('no acknowledged delivery is lost', async (t) => {
    const random = seededRandom(SEED);
    const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
    const port = await startPortSimulator();
    t.after(() => jira.close());
    t.after(() => port.close());
    const queue: CapturedDelivery[] = [];
    jira.state.setWebhook({ url: await startRelay(t, queue), secret: TEST_SECRET });
    jira.state.createProject({ key: 'ALPHA', name: 'Alpha' });
    jira.state.createProject({ key: 'BETA', name: 'Beta' });

    const config = writeConfigFile(t, jira, port);
    let child: ServiceChild = await startServiceChild(t, config);
    const numbers: KillRunNumbers = { sent: 0, attempts: 0, acknowledged: 0, kills: 0, lost: 0 };
    const acknowledged = new Set<string>();
    let changesDone = false;

    const killer = async (): Promise<void> => {
      for (let kill = 0; kill < KILLS; kill += 1) {
        await sleep(200 + Math.floor(random() * 600));
        child.process.kill('SIGKILL');
        await child.exited;
        numbers.kills += 1;
        child = await startServiceChild(t, config);
      }
    };
    const changes = changeJira(jira, random).then(() => jira.state.settled()).then(() => {
      changesDone = true;
    });
    const sending = sendUntilAcknowledged(queue, () => child.url, numbers, acknowledged, () => changesDone);
    await Promise.all([killer(), changes, sending]);

    numbers.sent = jira.state.sentWebhooks().length;
    numbers.acknowledged = acknowledged.size;
    await waitUntil('every acknowledged delivery has a processed result', () => processedCount(config.eventLogPath, acknowledged) === acknowledged.size);
    child.process.kill('SIGTERM');
    assert.equal((await child.exited).code, 0);

    const log = SqliteEventLog.open(config.eventLogPath);
    t.after(() => log.close());
    numbers.lost = [...acknowledged].filter((identifier) => log.results.forDelivery(identifier) === undefined).length;
    t.diagnostic(`kill run: ${JSON.stringify(numbers)}`);

    assert.equal(numbers.kills, KILLS);
    assert.equal(numbers.acknowledged, numbers.sent);
    assert.equal(numbers.lost, 0);
    assert.equal(log.lastCheckpoint(), log.headOffset());
    assert.deepEqual(actualIssues(port), await expectedIssues(jira));
  });
});
