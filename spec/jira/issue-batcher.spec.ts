import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';

import { JiraClient } from '../../src/jira/client.js';
import { InvalidJiraIdError } from '../../src/jira/errors.js';
import { IssueFetchBatcher } from '../../src/jira/issue-batcher.js';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira/index.js';

const SEARCH = 'POST /rest/api/3/search/jql';
const QUERY = { jql: 'project = CAT', fields: 'summary,status' };

/** Starts a simulator holding project CAT with `count` issues; returns it with the issue ids. */
async function startSeeded(t: TestContext, count: number): Promise<{ simulator: JiraSimulator; ids: string[] }> {
  const simulator = await startJiraSimulator({ host: '127.0.0.1' });
  t.after(() => simulator.close());
  simulator.state.load({
    projects: [{ key: 'CAT', name: 'Catalog' }],
    issues: Array.from({ length: count }, (_, index) => ({ projectKey: 'CAT', summary: `Issue ${index + 1}` })),
  });

  return { simulator, ids: simulator.state.issues().map((issue) => issue.id) };
}

function batcherFor(simulator: JiraSimulator, options: ConstructorParameters<typeof IssueFetchBatcher>[1] = {}): IssueFetchBatcher {
  const client = new JiraClient({ baseUrl: simulator.url, auth: { bearerToken: 'spec-bearer-token' } });

  return new IssueFetchBatcher(client, options);
}

function searchRequests(simulator: JiraSimulator): number {
  return simulator.state.requestCounts().byEndpoint[SEARCH] ?? 0;
}

describe('IssueFetchBatcher', () => {
  test('batcher merges 30 concurrent calls into one search', async (t) => {
    const { simulator, ids } = await startSeeded(t, 30);
    const batcher = batcherFor(simulator);

    const results = await Promise.all(ids.map((id) => batcher.issuesById([id], QUERY)));

    assert.equal(searchRequests(simulator), 1);
    assert.deepEqual(results.map((issues) => issues.map((issue) => issue.id)), ids.map((id) => [id]));
  });

  test('batcher gives each caller only its own ids', async (t) => {
    const { simulator, ids } = await startSeeded(t, 4);
    const batcher = batcherFor(simulator);
    const [a, b, c, d] = ids.map((id) => id);

    const [first, second] = await Promise.all([
      batcher.issuesById([a ?? '', b ?? ''], QUERY),
      batcher.issuesById([c ?? '', d ?? '', a ?? ''], QUERY),
    ]);

    assert.deepEqual(first.map((issue) => issue.id), [a, b]);
    assert.deepEqual(second.map((issue) => issue.id), [c, d, a]);
    assert.equal(searchRequests(simulator), 1);
  });

  test('batcher splits at 50 ids', async (t) => {
    const { simulator, ids } = await startSeeded(t, 70);
    const batcher = batcherFor(simulator);

    const results = await Promise.all(ids.map((id) => batcher.issuesById([id], QUERY)));

    assert.equal(results.flat().length, 70);
    assert.equal(searchRequests(simulator), 2);
  });

  test('batcher keeps different queries apart', async (t) => {
    const { simulator, ids } = await startSeeded(t, 2);
    const batcher = batcherFor(simulator);
    const [first, second] = ids;

    const [withFields, withExpand] = await Promise.all([
      batcher.issuesById([first ?? ''], QUERY),
      batcher.issuesById([second ?? ''], { ...QUERY, expand: 'names' }),
    ]);

    assert.deepEqual(withFields.map((issue) => issue.id), [first]);
    assert.deepEqual(withExpand.map((issue) => issue.id), [second]);
    assert.equal(searchRequests(simulator), 2);
  });

  test('batcher treats spacing in fields as the same query', async (t) => {
    const { simulator, ids } = await startSeeded(t, 2);
    const batcher = batcherFor(simulator);
    const [first, second] = ids;

    await Promise.all([
      batcher.issuesById([first ?? ''], { jql: 'project = CAT', fields: 'summary,status' }),
      batcher.issuesById([second ?? ''], { jql: 'project = CAT', fields: 'summary, status' }),
    ]);

    assert.equal(searchRequests(simulator), 1);
  });

  test('batcher with a deleted id', async (t) => {
    const { simulator, ids } = await startSeeded(t, 3);
    const batcher = batcherFor(simulator);
    const [first, deleted, last] = ids;
    simulator.state.deleteIssue(deleted ?? '');

    const results = await Promise.all(ids.map((id) => batcher.issuesById([id], QUERY)));

    assert.deepEqual(results.map((issues) => issues.map((issue) => issue.id)), [[first], [], [last]]);
  });

  test('batcher rejects only the caller with an invalid id', async (t) => {
    const { simulator, ids } = await startSeeded(t, 1);
    const batcher = batcherFor(simulator);

    const [valid, invalid] = await Promise.allSettled([
      batcher.issuesById([ids[0] ?? ''], QUERY),
      batcher.issuesById(['CAT-1'], QUERY),
    ]);

    assert.equal(valid.status, 'fulfilled');
    assert.equal(invalid.status, 'rejected');
    assert.ok(invalid.reason instanceof InvalidJiraIdError);
  });

  test('batcher disabled calls per id', async (t) => {
    const { simulator, ids } = await startSeeded(t, 30);
    const batcher = batcherFor(simulator, { enabled: false });

    const results = await Promise.all(ids.map((id) => batcher.issuesById([id], QUERY)));

    assert.equal(results.flat().length, 30);
    assert.equal(searchRequests(simulator), 30);
  });

  test('batcher delegates project', async (t) => {
    const { simulator } = await startSeeded(t, 0);
    const batcher = batcherFor(simulator);

    const project = await batcher.project('CAT');

    assert.equal(project?.key, 'CAT');
  });
});
