import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PortClient } from '../../src/port/index.js';
import { entity, startClientHarness, UPSERT_FLAGS } from './client-harness.js';

const TOKEN = 'POST /v1/auth/access_token';
const BULK = 'POST /v1/blueprints/{bp}/entities/bulk';

describe('PortClient access token', async () => {
  const harness = await startClientHarness({ tokenTtlSeconds: 1 });
  const { simulator, client } = harness;
  after(() => simulator.close());

  const upsert = (identifier: string) => client.upsertEntities('jiraIssue', [entity('jiraIssue', identifier)], UPSERT_FLAGS);

  it('shares one token request among concurrent calls', async () => {
    simulator.state.resetRequestCounts();

    const outcomes = await Promise.all(['PROJ-1', 'PROJ-2', 'PROJ-3', 'PROJ-4'].map(upsert));

    assert.deepEqual(outcomes.map((outcome) => outcome.failed), [[], [], [], []]);
    assert.deepEqual(simulator.state.requestCounts()[TOKEN], { 200: 1 });
  });

  it('refreshes the token before it expires', async () => {
    await upsert('PROJ-1');
    simulator.state.resetRequestCounts();

    await sleep(1000);
    const outcome = await upsert('PROJ-2');

    assert.deepEqual(outcome.failed, []);
    assert.deepEqual(simulator.state.requestCounts()[TOKEN], { 200: 1 });
    assert.deepEqual(simulator.state.requestCounts()[BULK], { 200: 1 });
  });

  it('refreshes the token on 401', async () => {
    await upsert('PROJ-1');
    simulator.state.resetRequestCounts();

    simulator.state.expireTokens();
    const outcome = await upsert('PROJ-2');

    assert.deepEqual(outcome.succeeded, ['PROJ-2']);
    assert.deepEqual(simulator.state.requestCounts()[BULK], { 401: 1, 200: 1 });
    assert.deepEqual(simulator.state.requestCounts()[TOKEN], { 200: 1 });
  });

  it('fails entities on a second 401', async () => {
    simulator.state.setFaults({ failNext: [{ path: '/v1/blueprints/{bp}/entities/bulk', status: 401, count: 2 }] });

    const outcome = await upsert('PROJ-1');

    simulator.state.setFaults({});
    assert.deepEqual(outcome.failed.map((failure) => [failure.status, failure.error]), [[401, 'unauthorized']]);
  });
});

describe('PortClient with wrong credentials', async () => {
  const harness = await startClientHarness({}, { clientSecret: 'wrong-secret' });
  after(() => harness.simulator.close());

  it('fails entities with the auth error', async () => {
    const outcome = await harness.client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1')], UPSERT_FLAGS);

    assert.equal(outcome.failed[0]?.status, 401);
    assert.equal(outcome.failed[0]?.error, 'unauthorized');
    assert.match(outcome.failed[0]?.message ?? '', /client id and client secret/);
  });

  it('does not retry the token request on 401', () => {
    assert.deepEqual(harness.simulator.state.requestCounts()[TOKEN], { 401: 1 });
  });
});

describe('PortClient options', () => {
  it('rejects a missing base URL', () => {
    assert.throws(() => new PortClient({ baseUrl: '', clientId: 'id', clientSecret: 'secret' }), TypeError);
  });

  it('rejects a zero concurrency', () => {
    assert.throws(() => new PortClient({ baseUrl: 'http://127.0.0.1:1', clientId: 'id', clientSecret: 'secret', maxConcurrency: 0 }), RangeError);
  });

  it('rejects missing credentials', () => {
    assert.throws(() => new PortClient({ baseUrl: 'http://127.0.0.1:1', clientId: 'id', clientSecret: '' }), TypeError);
  });
});
