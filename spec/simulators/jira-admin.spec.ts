import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { startJiraSimulator, startWebhookReceiver, type JiraSimulator, type WebhookReceiver } from '../../src/simulators/jira/index.js';

let simulator: JiraSimulator;
let receiver: WebhookReceiver;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

describe('/_sim admin API', () => {
  before(async () => {
    receiver = await startWebhookReceiver();
    simulator = await startJiraSimulator({ webhookRetryDelayMs: 5 });
  });
  after(async () => {
    await simulator.close();
    await receiver.close();
  });
  beforeEach(() => simulator.state.reset());

  test('load and state', async () => {
    const loaded = await call('POST', '/_sim/load', {
      users: [{ accountId: 'u-ada', displayName: 'Ada' }],
      projects: [{ key: 'CAT', name: 'Catalog' }],
      issues: [{ projectKey: 'CAT', summary: 'One', assigneeAccountId: 'u-ada' }],
    });
    const state = await call('GET', '/_sim/state');

    assert.deepEqual(loaded.json, { users: 1, projects: 1, issues: 1 });
    assert.equal(state.json.issues[0].key, 'CAT-1');
    assert.equal(state.json.projects[0].key, 'CAT');
    assert.equal(state.json.users[0].accountId, 'u-ada');
  });

  test('issue lifecycle over HTTP', async () => {
    await call('POST', '/_sim/projects', { key: 'CAT', name: 'Catalog' });
    await call('POST', '/_sim/projects', { key: 'OPS', name: 'Operations' });

    const created = await call('POST', '/_sim/issues', { projectKey: 'CAT', summary: 'One', labels: ['a'] });
    const updated = await call('PATCH', `/_sim/issues/${created.json.id}`, { status: 'In Progress' });
    const moved = await call('POST', `/_sim/issues/${created.json.id}/move`, { projectKey: 'OPS' });
    const comment = await call('POST', `/_sim/issues/${created.json.id}/comments`, { body: 'Hi' });
    const deleted = await call('DELETE', `/_sim/issues/${created.json.id}`);

    assert.equal(created.status, 201);
    assert.equal(updated.json.fields.status.name, 'In Progress');
    assert.equal(moved.json.key, 'OPS-1');
    assert.equal(comment.status, 201);
    assert.equal(comment.json.body.type, 'doc');
    assert.equal(deleted.status, 200);
    assert.deepEqual(simulator.state.issues(), []);
  });

  test('project lifecycle over HTTP', async () => {
    await call('POST', '/_sim/projects', { key: 'CAT', name: 'Catalog' });

    const patched = await call('PATCH', '/_sim/projects/CAT', { name: 'Catalogue' });
    const trashed = await call('POST', '/_sim/projects/CAT/soft-delete');
    const restored = await call('POST', '/_sim/projects/CAT/restore');
    const archived = await call('POST', '/_sim/projects/CAT/archive');
    const unarchived = await call('POST', '/_sim/projects/CAT/restore-archived');
    const purged = await call('DELETE', '/_sim/projects/CAT');

    assert.equal(patched.json.name, 'Catalogue');
    assert.equal(trashed.json.deleted, true);
    assert.equal(restored.json.deleted, false);
    assert.equal(archived.json.archived, true);
    assert.equal(unarchived.json.archived, false);
    assert.equal(purged.status, 200);
    assert.deepEqual(simulator.state.projects(), []);
  });

  test('user lifecycle over HTTP', async () => {
    const created = await call('POST', '/_sim/users', { displayName: 'Ada' });
    const patched = await call('PATCH', `/_sim/users/${encodeURIComponent(created.json.accountId)}`, { displayName: 'Ada L.' });
    const badMode = await call('DELETE', `/_sim/users/${encodeURIComponent(created.json.accountId)}?mode=soft`);
    const deleted = await call('DELETE', `/_sim/users/${encodeURIComponent(created.json.accountId)}?mode=inactive`);

    assert.match(created.json.accountId, /^712020:/);
    assert.equal(patched.json.displayName, 'Ada L.');
    assert.equal(badMode.status, 400);
    assert.equal(deleted.json.active, false);
  });

  test('invalid input names the field', async () => {
    const response = await call('POST', '/_sim/issues', { projectKey: 'CAT', summary: 7 });

    assert.equal(response.status, 400);
    assert.match(response.json.errorMessages[0], /"summary" must be string/);
  });

  test('unknown project is 404', async () => {
    const response = await call('POST', '/_sim/issues', { projectKey: 'NOPE', summary: 'Lost' });

    assert.equal(response.status, 404);
  });

  test('duplicate project key is 409', async () => {
    await call('POST', '/_sim/projects', { key: 'CAT', name: 'Catalog' });

    const response = await call('POST', '/_sim/projects', { key: 'CAT', name: 'Again' });

    assert.equal(response.status, 409);
  });

  test('webhook target and settled', async () => {
    await call('POST', '/_sim/projects', { key: 'CAT', name: 'Catalog' });
    const target = await call('PUT', '/_sim/webhook', { url: receiver.url, secret: 's' });

    await call('POST', '/_sim/issues', { projectKey: 'CAT', summary: 'One' });
    const settled = await call('GET', '/_sim/settled');
    const sent = await call('GET', '/_sim/sent-webhooks');
    const cleared = await call('PUT', '/_sim/webhook', null);

    assert.equal(target.json.url, receiver.url);
    assert.deepEqual(settled.json, { settled: true, sent: 1 });
    assert.equal(sent.json[0].outcome, 'delivered');
    assert.equal(cleared.json.url, null);
  });

  test('faults and request counts', async () => {
    await call('POST', '/_sim/projects', { key: 'CAT', name: 'Catalog' });
    const faults = await call('PUT', '/_sim/faults', { failNext: [{ status: 503, count: 1 }] });

    const failed = await fetch(`${simulator.url}/rest/api/3/project/CAT`);
    const counts = await call('GET', '/_sim/requests');
    const cleared = await call('DELETE', '/_sim/requests');
    const invalid = await call('PUT', '/_sim/faults', { errorRate: 'often' });

    assert.equal(faults.json.failNext[0].count, 1);
    assert.equal(failed.status, 503);
    assert.deepEqual(counts.json, { total: 1, byEndpoint: { 'GET /rest/api/3/project/{projectIdOrKey}': 1 }, byStatus: { '503': 1 } });
    assert.deepEqual(cleared.json, { total: 0, byEndpoint: {}, byStatus: {} });
    assert.equal(invalid.status, 400);
  });

  test('reset clears data and webhooks', async () => {
    await call('POST', '/_sim/projects', { key: 'CAT', name: 'Catalog' });

    const reset = await call('POST', '/_sim/reset');
    const state = await call('GET', '/_sim/state');

    assert.equal(reset.status, 200);
    assert.deepEqual(state.json.projects, []);
    assert.deepEqual(state.json.webhooks, []);
  });

  test('unknown admin route is 404', async () => {
    const response = await call('GET', '/_sim/nothing');

    assert.equal(response.status, 404);
  });
});
