import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { SqliteEventLog } from '../../src/log/sqlite-event-log.js';
import type { JiraSimulator } from '../../src/simulators/jira/index.js';
import type { PortSimulator } from '../../src/simulators/port/index.js';
import {
  issueUpdatedBody,
  postDelivery,
  sleep,
  startServiceChild,
  startSimulators,
  waitUntil,
  type ConfigFile,
  type ServiceChild,
} from './durability-support.js';

interface Setup {
  readonly jira: JiraSimulator;
  readonly port: PortSimulator;
  readonly config: ConfigFile;
  readonly issue: { id: string; key: string };
}

/** Start both simulators (Jira responds after `jiraLatencyMs`), create one issue without webhooks, and write a configuration file. */
async function setUp(t: TestContext, jiraLatencyMs: number, shutdownDeadlineMs: number): Promise<Setup> {
  const { jira, port, config } = await startSimulators(t, { jiraLatencyMs, shutdownDeadlineMs });
  jira.state.createProject({ key: 'OPS', name: 'Operations' });
  const issue = jira.state.createIssue({ projectKey: 'OPS', summary: 'Rotate the keys' });
  return { jira, port, config, issue };
}

/** Send one delivery, check it was accepted, and give the pipeline time to start its Jira fetch. */
async function acceptOne(child: ServiceChild, issue: { id: string; key: string }, identifier: string): Promise<void> {
  const response = await postDelivery(child.url, issueUpdatedBody(issue), identifier);
  assert.equal(response.status, 202);
  await sleep(150);
}

function hasLine(child: ServiceChild, message: string): boolean {
  return child.logLines.some((line) => line['msg'] === message);
}

/** Read the processed result of a delivery id from the log file after the service exited. */
async function storedOutcome(path: string, deliveryId: string): Promise<{ outcome: string | undefined; checkpoint: number; head: number }> {
  const log = SqliteEventLog.open(path);
  try {
    return { outcome: log.results.forDelivery(deliveryId)?.outcome, checkpoint: log.lastCheckpoint(), head: log.headOffset() };
  } finally {
    await log.close();
  }
}

describe('service shutdown', () => {
  test('SIGTERM sends 503 and drains', async (t) => {
    const { config, issue } = await setUp(t, 800, 10_000);
    const child = await startServiceChild(t, config);
    await acceptOne(child, issue, 'drained-delivery');

    child.process.kill('SIGTERM');
    await waitUntil('the service logs its shutdown', () => hasLine(child, 'shutting down: no new deliveries are accepted'));
    const refused = await postDelivery(child.url, issueUpdatedBody(issue), 'refused-delivery');
    const exit = await child.exited;

    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '5');
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.equal(child.logLines.find((line) => line['msg'] === 'service stopped')?.['drained'], true);
    const stored = await storedOutcome(config.eventLogPath, 'drained-delivery');
    assert.equal(stored.outcome, 'upserted');
    assert.equal(stored.checkpoint, stored.head);
    assert.equal((await storedOutcome(config.eventLogPath, 'refused-delivery')).head, 1);
  });

  test('deadline leaves work for restart', async (t) => {
    const { jira, config, issue } = await setUp(t, 1500, 100);
    const first = await startServiceChild(t, config);
    await acceptOne(first, issue, 'late-delivery');

    first.process.kill('SIGTERM');
    const exit = await first.exited;

    assert.equal(exit.code, 0);
    assert.ok(hasLine(first, 'shutdown deadline passed with work in flight; it is processed again on the next start'));
    assert.equal((await storedOutcome(config.eventLogPath, 'late-delivery')).checkpoint, 0);

    jira.state.setFaults({});
    const second = await startServiceChild(t, config);
    await waitUntil('the restarted service processes the delivery', () => hasLine(second, 'delivery processed'));
    second.process.kill('SIGTERM');
    await second.exited;
    assert.equal((await storedOutcome(config.eventLogPath, 'late-delivery')).outcome, 'upserted');
  });

  test('second signal exits at once', async (t) => {
    const { jira, config, issue } = await setUp(t, 2000, 30_000);
    const first = await startServiceChild(t, config);
    await acceptOne(first, issue, 'interrupted-delivery');

    first.process.kill('SIGTERM');
    await waitUntil('the service logs its shutdown', () => hasLine(first, 'shutting down: no new deliveries are accepted'));
    first.process.kill('SIGINT');
    const exit = await first.exited;

    assert.deepEqual(exit, { code: 130, signal: null });
    assert.ok(first.logLines.some((line) => String(line['msg']).startsWith('second signal: exiting now')));

    jira.state.setFaults({});
    const second = await startServiceChild(t, config);
    await waitUntil('the restarted service processes the delivery', () => hasLine(second, 'delivery processed'));
    second.process.kill('SIGTERM');
    await second.exited;
    assert.equal((await storedOutcome(config.eventLogPath, 'interrupted-delivery')).outcome, 'upserted');
  });
});
