import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import WebSocket from 'ws';
import type { ProcessedResult } from '../../src/core/results.js';
import { createWebhookHandler } from '../../src/ingress/webhook-handler.js';
import { SqliteEventLog } from '../../src/log/sqlite-event-log.js';
import type { JiraSimulator } from '../../src/simulators/jira/index.js';
import { identifiers, TEST_SECRET } from '../support/harness.js';
import { actualIssues, expectedIssues } from '../support/oracle.js';
import {
  issueUpdatedBody,
  postDelivery,
  settle,
  startServiceInProcess,
  startSimulators,
  waitUntil,
} from './durability-support.js';

/** Return the log of a running service, which is SQLite for every configuration these specs write. */
function sqliteLogOf(service: { stream: { log: unknown } }): SqliteEventLog {
  assert.ok(service.stream.log instanceof SqliteEventLog);
  return service.stream.log;
}

/** Collect `count` results from the feed, resuming after `from`. */
function feedResults(baseUrl: string, from: number, count: number): Promise<ProcessedResult[]> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/feed?from=${from}`);
    const received: ProcessedResult[] = [];
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as ProcessedResult & { type?: string };
      if (message.type !== undefined) return;
      received.push(message);
      if (received.length === count) {
        socket.close();
        resolve(received);
      }
    });
    socket.on('error', reject);
  });
}

/**
 * Run only the ingress on the log file while `changeJira` sends webhooks,
 * as a service that crashed after acknowledging them would leave the file,
 * and return the log's head offset and checkpoint.
 */
async function acceptWithoutProcessing(
  t: TestContext,
  path: string,
  jira: JiraSimulator,
  changeJira: () => void,
): Promise<{ head: number; checkpoint: number }> {
  const log = SqliteEventLog.open(path);
  const ingress = createWebhookHandler({ log, secret: TEST_SECRET });
  const server = createServer((request, response) => ingress.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.closeAllConnections());
  jira.state.setWebhook({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/integration/webhook`, secret: TEST_SECRET });

  changeJira();
  await jira.state.settled();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const state = { head: log.headOffset(), checkpoint: log.lastCheckpoint() };
  await log.close();
  return state;
}

describe('service restart', () => {
  test('backlog is processed after restart', async (t) => {
    const { jira, port, config } = await startSimulators(t);
    const backlog = await acceptWithoutProcessing(t, config.eventLogPath, jira, () => {
      jira.state.createProject({ key: 'CAT', name: 'Catalog' });
      for (let index = 0; index < 40; index += 1) jira.state.createIssue({ projectKey: 'CAT', summary: `Backlog issue ${index}` });
    });

    const service = await startServiceInProcess(t, config, jira);
    await settle(jira, service);

    assert.deepEqual(backlog, { head: 41, checkpoint: 0 });
    const log = sqliteLogOf(service);
    assert.equal(log.lastCheckpoint(), log.headOffset());
    const missing = log.readAfter(0, 1000).filter((delivery) => log.results.forDelivery(delivery.deliveryId) === undefined);
    assert.deepEqual(missing.map((delivery) => delivery.offset), []);
    assert.deepEqual(actualIssues(port), await expectedIssues(jira));
  });

  test('retry after restart is a duplicate', async (t) => {
    const { jira, port, config } = await startSimulators(t);
    jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    const issue = jira.state.createIssue({ projectKey: 'CAT', summary: 'Dedupe me' });
    const first = await startServiceInProcess(t, config, jira);
    const accepted = await postDelivery(first.url, issueUpdatedBody(issue), 'retried-delivery');
    await settle(jira, first);
    await first.close();

    const second = await startServiceInProcess(t, config, jira);
    const secondResults: ProcessedResult[] = [];
    second.stream.results$.subscribe((result) => secondResults.push(result));
    const requestsBefore = port.state.requestCounts();
    const retried = await postDelivery(second.url, issueUpdatedBody(issue), 'retried-delivery');
    await settle(jira, second);

    assert.equal(accepted.status, 202);
    assert.equal(retried.status, 200);
    assert.deepEqual(await retried.json(), { deliveryId: 'retried-delivery', offset: 1, duplicate: true });
    assert.deepEqual(secondResults, []);
    assert.deepEqual(port.state.requestCounts(), requestsBefore);
  });

  test('trashed project cascades after restart', async (t) => {
    const { jira, port, config } = await startSimulators(t);
    const first = await startServiceInProcess(t, config, jira);
    jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    jira.state.createProject({ key: 'OPS', name: 'Operations' });
    for (const summary of ['One', 'Two', 'Three']) jira.state.createIssue({ projectKey: 'CAT', summary });
    jira.state.createIssue({ projectKey: 'OPS', summary: 'Stays' });
    await settle(jira, first);
    await first.close();

    const second = await startServiceInProcess(t, config, jira);
    jira.state.softDeleteProject('CAT');
    await settle(jira, second);

    assert.deepEqual(identifiers(port, 'jiraIssue'), ['OPS-1']);
    assert.deepEqual(identifiers(port, 'jiraProject'), ['OPS']);
  });

  test('moved issue after restart loses old key', async (t) => {
    const { jira, port, config } = await startSimulators(t);
    const first = await startServiceInProcess(t, config, jira);
    jira.state.createProject({ key: 'ALPHA', name: 'Alpha' });
    jira.state.createProject({ key: 'BETA', name: 'Beta' });
    const issue = jira.state.createIssue({ projectKey: 'ALPHA', summary: 'Moves' });
    await settle(jira, first);
    await first.close();

    const second = await startServiceInProcess(t, config, jira);
    const moved = jira.state.moveIssue(issue.key, 'BETA');
    await settle(jira, second);

    assert.deepEqual(identifiers(port, 'jiraIssue'), [moved.key]);
    assert.deepEqual(actualIssues(port), await expectedIssues(jira));
  });

  test('feed resumes from offset after restart', async (t) => {
    const { jira, config } = await startSimulators(t);
    const first = await startServiceInProcess(t, config, jira);
    jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    jira.state.createIssue({ projectKey: 'CAT', summary: 'Before the restart' });
    jira.state.createIssue({ projectKey: 'CAT', summary: 'Also before' });
    await settle(jira, first);
    const before = sqliteLogOf(first).headOffset();
    await first.close();

    const second = await startServiceInProcess(t, config, jira);
    await waitUntil('the second service is up', () => second.url !== '');
    const resumed = await feedResults(second.url, 1, before - 1);

    assert.deepEqual(resumed.map((result) => result.offset), Array.from({ length: before - 1 }, (_, index) => index + 2));
    assert.ok(resumed.every((result) => result.outcome === 'upserted'));
  });
});
