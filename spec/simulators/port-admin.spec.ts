import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { requestJson, startHarness } from './port-helpers.js';

describe('port simulator admin api', async () => {
  const { simulator, call, token } = await startHarness();
  after(() => simulator.close());
  beforeEach(() => simulator.state.reset());

  const admin = (method: string, path: string, body?: unknown) => requestJson(simulator.url, method, `/_sim${path}`, body);
  const upsert = (blueprint: string, identifier: string) =>
    call('POST', `/v1/blueprints/${blueprint}/entities/bulk?upsert=true`, { entities: [{ identifier }] });

  it('lists entities by blueprint', async () => {
    await upsert('jiraIssue', 'PROJ-1');
    await upsert('jiraProject', 'PROJ');

    const reply = await admin('GET', '/entities');

    assert.deepEqual(Object.keys(reply.body).sort(), ['jiraIssue', 'jiraProject']);
    assert.equal(reply.body.jiraIssue[0].identifier, 'PROJ-1');
  });

  it('resets entities and counts', async () => {
    await upsert('jiraIssue', 'PROJ-1');

    await admin('POST', '/reset');
    const entities = await admin('GET', '/entities');
    const counts = await admin('GET', '/requests');

    assert.deepEqual(entities.body, {});
    assert.deepEqual(counts.body, {});
  });

  it('loads blueprints', async () => {
    const loaded = await admin('POST', '/blueprints', [{ identifier: 'service', schema: { properties: { tier: { type: 'number' } } } }]);

    const reply = await call('GET', '/v1/blueprints/service');

    assert.equal(loaded.status, 200);
    assert.equal(reply.body.blueprint.schema.properties.tier.type, 'number');
  });

  it('rejects a blueprint with an unknown type', async () => {
    const reply = await admin('POST', '/blueprints', [{ identifier: 'service', schema: { properties: { tier: { type: 'decimal' } } } }]);

    assert.equal(reply.status, 422);
    assert.match(reply.body.message, /tier/);
  });

  it('loads the default blueprints', async () => {
    const identifiers = ['jiraProject', 'jiraTeam', 'jiraUser', 'jiraIssue', 'jiraRelease', 'jiraSprint', 'jiraBoard'];

    const statuses = await Promise.all(identifiers.map(async (identifier) => (await call('GET', `/v1/blueprints/${identifier}`)).status));

    assert.deepEqual(statuses, identifiers.map(() => 200));
  });

  it('sets and clears faults', async () => {
    await admin('PUT', '/faults', { failNext: [{ path: '/v1/blueprints/{bp}/entities', status: 500 }] });

    const failed = await call('GET', '/v1/blueprints/jiraIssue/entities');
    const current = await admin('GET', '/faults');
    await admin('PUT', '/faults', {});
    const cleared = await admin('GET', '/faults');

    assert.equal(failed.status, 500);
    assert.equal(current.body.failNext[0].status, 500);
    assert.equal(cleared.body.failNext, undefined);
  });

  it('rejects invalid faults with 422', async () => {
    const reply = await admin('PUT', '/faults', { randomErrorRate: -1 });

    assert.equal(reply.status, 422);
    assert.match(reply.body.message, /randomErrorRate/);
  });

  it('counts requests and resets the counts', async () => {
    await upsert('jiraIssue', 'PROJ-1');

    const counts = await admin('GET', '/requests');
    await admin('DELETE', '/requests');
    const cleared = await admin('GET', '/requests');

    assert.deepEqual(counts.body, { 'POST /v1/blueprints/{bp}/entities/bulk': { 200: 1 } });
    assert.deepEqual(cleared.body, {});
  });

  it('sets identifier rejection rules', async () => {
    await admin('PUT', '/reject-identifiers', { rules: [{ pattern: '^BAD-' }] });

    const reply = await call('POST', '/v1/blueprints/jiraIssue/entities/bulk?upsert=true', { entities: [{ identifier: 'BAD-1' }, { identifier: 'OK-1' }] });

    assert.equal(reply.status, 207);
    assert.equal(reply.body.errors[0].identifier, 'BAD-1');
    assert.equal(reply.body.errors[0].error, 'rejected_by_rule');
  });

  it('expires tokens', async () => {
    await admin('POST', '/expire-tokens');

    const reply = await requestJson(simulator.url, 'GET', '/v1/blueprints/jiraIssue/entities', undefined, { authorization: `Bearer ${token}` });

    assert.equal(reply.status, 401);
  });

  it('answers 404 for an unknown admin path', async () => {
    const reply = await admin('GET', '/nothing');

    assert.equal(reply.status, 404);
  });
});
