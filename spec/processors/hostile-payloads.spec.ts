import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identifiers, startHarness, type Harness } from '../support/harness.js';

/** A JSON text nested `depth` arrays deep: parseable, but deeper than JSON.stringify can go. */
function deepArray(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

describe('hostile payloads', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    h.jira.state.createIssue({ projectKey: 'CAT', summary: 'Live issue' });
  });
  after(() => h.close());

  it('deeply nested id is rejected alone', async () => {
    const body = `{"webhookEvent":"jira:issue_updated","issue":{"id":${deepArray(20_000)},"key":"CAT-1"}}`;
    const result = await h.send(body);
    assert.equal(result.outcome, 'rejected');
    assert.match(result.reason ?? '', /issue\.id/);
  });

  it('pipeline keeps working after it', async () => {
    const result = await h.send({ webhookEvent: 'jira:issue_updated', issue: { id: '10000', key: 'CAT-1' } });
    assert.equal(result.outcome, 'upserted');
  });

  it('prototype names are unknown events', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const result = await h.send({ webhookEvent: name });
      assert.equal(result.outcome, 'ignored', name);
    }
  });

  it('leading zeros name the same issue', async () => {
    const result = await h.send({ webhookEvent: 'jira:issue_updated', issue: { id: '010000', key: 'CAT-1' } });
    assert.equal(result.outcome, 'upserted');
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), ['CAT-1']);
  });

  it('huge event name is ignored with a short reason', async () => {
    const result = await h.send({ webhookEvent: 'x'.repeat(100_000) });
    assert.equal(result.outcome, 'ignored');
    assert.ok((result.reason ?? '').length < 200);
  });

  it('byte order mark before the JSON is accepted', async () => {
    const result = await h.send(`\uFEFF${JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { id: '10000', key: 'CAT-1' } })}`);
    assert.equal(result.outcome, 'upserted');
  });
});

describe('hostile payload in a mapping batch', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ tuning: { mapBatchMs: 200 } });
    h.jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    for (let i = 0; i < 3; i++) h.jira.state.createIssue({ projectKey: 'CAT', summary: `Issue ${i + 1}` });
    await Promise.all(['10000', '10001', '10002'].map((id, i) => h.send({ webhookEvent: 'jira:issue_created', issue: { id, key: `CAT-${i + 1}` } })));
  });
  after(() => h.close());

  it('fails only the delivery that broke the batch', async () => {
    for (const id of ['10000', '10001', '10002']) h.jira.state.deleteIssue(id);
    const poison = `{"webhookEvent":"jira:issue_deleted","issue":{"id":"10009","key":"CAT-9","fields":{"x":${deepArray(20_000)}}}}`;

    const results = await Promise.all([
      ...['10000', '10001', '10002'].map((id, i) => h.send({ webhookEvent: 'jira:issue_deleted', issue: { id, key: `CAT-${i + 1}` } })),
      h.send(poison),
    ]);

    assert.deepEqual(results.slice(0, 3).map((result) => result.outcome), ['deleted', 'deleted', 'deleted']);
    assert.equal(results[3]?.outcome, 'failed');
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), []);
  });
});
