import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { entity, startClientHarness, UPSERT_FLAGS } from './client-harness.js';

const BULK = 'POST /v1/blueprints/{bp}/entities/bulk';
const BULK_PATH = '/v1/blueprints/{bp}/entities/bulk';

describe('PortClient upsertEntities', async () => {
  const harness = await startClientHarness();
  const { simulator, client } = harness;
  after(() => simulator.close());
  beforeEach(() => {
    simulator.state.reset();
    harness.requests.length = 0;
  });

  it('upserts a small batch in one request', async () => {
    const outcome = await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1'), entity('jiraIssue', 'PROJ-2')], UPSERT_FLAGS);

    assert.deepEqual(outcome, { succeeded: ['PROJ-1', 'PROJ-2'], failed: [] });
    assert.deepEqual(simulator.state.requestCounts()[BULK], { 200: 1 });
    assert.deepEqual(simulator.state.entities('jiraIssue').map((stored) => stored.identifier), ['PROJ-1', 'PROJ-2']);
  });

  it('splits 45 entities into three requests', async () => {
    const entities = Array.from({ length: 45 }, (_, index) => entity('jiraIssue', `PROJ-${index}`));

    const outcome = await client.upsertEntities('jiraIssue', entities, UPSERT_FLAGS);

    assert.equal(outcome.succeeded.length, 45);
    assert.deepEqual(outcome.failed, []);
    assert.deepEqual(simulator.state.requestCounts()[BULK], { 200: 3 });
  });

  it('splits by body size under 1 MiB', async () => {
    const large = (identifier: string) => entity('jiraRelease', identifier, { properties: { notes: 'x'.repeat(400 * 1024) } });

    const outcome = await client.upsertEntities('jiraRelease', [large('R1'), large('R2'), large('R3')], UPSERT_FLAGS);

    assert.deepEqual(outcome.succeeded, ['R1', 'R2', 'R3']);
    assert.deepEqual(simulator.state.requestCounts()[BULK], { 200: 2 });
  });

  it('splits a batch in halves on 413', async () => {
    simulator.state.setFaults({ failNext: [{ path: BULK_PATH, status: 413 }] });
    const entities = Array.from({ length: 4 }, (_, index) => entity('jiraIssue', `PROJ-${index}`));

    const outcome = await client.upsertEntities('jiraIssue', entities, UPSERT_FLAGS);

    assert.equal(outcome.succeeded.length, 4);
    assert.deepEqual(simulator.state.requestCounts()[BULK], { 413: 1, 200: 2 });
  });

  it('fails a single entity on 413', async () => {
    simulator.state.setFaults({ failNext: [{ path: BULK_PATH, status: 413 }] });

    const outcome = await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1')], UPSERT_FLAGS);

    assert.deepEqual(outcome.succeeded, []);
    assert.equal(outcome.failed[0]?.status, 413);
    assert.equal(outcome.failed[0]?.error, 'request_too_large');
  });

  it('fails an entity over 1 MiB alone', async () => {
    const huge = entity('jiraRelease', 'R-huge', { properties: { notes: 'x'.repeat(1024 * 1024) } });

    const outcome = await client.upsertEntities('jiraRelease', [entity('jiraRelease', 'R1'), huge], UPSERT_FLAGS);

    assert.deepEqual(outcome.succeeded, ['R1']);
    assert.deepEqual(outcome.failed.map((failure) => [failure.identifier, failure.status]), [['R-huge', 413]]);
  });

  it('reports 207 partial failures per entity', async () => {
    simulator.state.rejectIdentifiers({ identifiers: ['PROJ-2'], statusCode: 422, error: 'invalid_request', message: 'bad entity' });
    const entities = [entity('jiraIssue', 'PROJ-1'), entity('jiraIssue', 'PROJ-2'), entity('jiraIssue', 'PROJ-3')];

    const outcome = await client.upsertEntities('jiraIssue', entities, UPSERT_FLAGS);

    assert.deepEqual(outcome.succeeded, ['PROJ-1', 'PROJ-3']);
    assert.deepEqual(outcome.failed, [{ identifier: 'PROJ-2', status: 422, error: 'invalid_request', message: 'bad entity' }]);
  });

  it('fails entities of a rejected request', async () => {
    simulator.state.setFaults({ failNext: [{ path: BULK_PATH, status: 422, error: 'invalid_request' }] });

    const outcome = await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1')], UPSERT_FLAGS);

    assert.deepEqual(outcome.failed.map((failure) => [failure.identifier, failure.status, failure.error]), [['PROJ-1', 422, 'invalid_request']]);
    assert.deepEqual(simulator.state.requestCounts()[BULK], { 422: 1 });
  });

  it('retries 429 after Retry-After', async () => {
    simulator.state.setFaults({ failNext: [{ path: BULK_PATH, status: 429, retryAfterSeconds: 1 }] });

    const outcome = await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1')], UPSERT_FLAGS);
    const retry = harness.logEntries().findLast((entry) => entry['msg'] === 'port request failed, retrying');

    assert.deepEqual(outcome.succeeded, ['PROJ-1']);
    assert.deepEqual(simulator.state.requestCounts()[BULK], { 429: 1, 200: 1 });
    assert.equal(retry?.['delayMs'], 1000);
  });

  it('pauses other calls after a 429', async () => {
    simulator.state.setFaults({ failNext: [{ path: '/v1/blueprints/jiraIssue/entities/bulk', status: 429, retryAfterSeconds: 1 }] });
    const first = client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1')], UPSERT_FLAGS);
    while (!harness.requests.some((info) => info.status === 429)) {
      await sleep(5);
    }

    let secondDone = false;
    const second = client.upsertEntities('jiraRelease', [entity('jiraRelease', 'R1')], UPSERT_FLAGS).then((outcome) => {
      secondDone = true;
      return outcome;
    });
    await sleep(300);
    const doneDuringPause = secondDone;
    const outcomes = await Promise.all([first, second]);

    assert.equal(doneDuringPause, false);
    assert.deepEqual(outcomes.map((outcome) => outcome.succeeded), [['PROJ-1'], ['R1']]);
  });

  it('retries 429 after an epoch reset', async () => {
    simulator.state.setFaults({ rateLimit: { requestsPerSecond: 1000, resetFormat: 'epoch' }, failNext: [{ path: BULK_PATH, status: 429 }] });

    const outcome = await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1')], UPSERT_FLAGS);
    const retry = harness.logEntries().findLast((entry) => entry['msg'] === 'port request failed, retrying');

    assert.deepEqual(outcome.succeeded, ['PROJ-1']);
    assert.ok(Number(retry?.['delayMs']) <= 2000, `an epoch reset within 2 s, got ${String(retry?.['delayMs'])} ms`);
  });

  it('fails entities after 503 retries', async () => {
    simulator.state.setFaults({ failNext: [{ path: BULK_PATH, status: 503, count: 10 }] });

    const outcome = await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1'), entity('jiraIssue', 'PROJ-2')], UPSERT_FLAGS);

    assert.deepEqual(outcome.succeeded, []);
    assert.deepEqual(outcome.failed.map((failure) => [failure.identifier, failure.status, failure.error]), [['PROJ-1', 503, 'service_unavailable'], ['PROJ-2', 503, 'service_unavailable']]);
    assert.deepEqual(simulator.state.requestCounts()[BULK], { 503: 4 });
  });

  it('retries a 500', async () => {
    simulator.state.setFaults({ failNext: [{ path: BULK_PATH, status: 500 }] });

    const outcome = await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1')], UPSERT_FLAGS);

    assert.deepEqual(outcome.succeeded, ['PROJ-1']);
  });

  it('merges properties with merge true', async () => {
    await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1', { properties: { status: 'Open', priority: 'High' } })], UPSERT_FLAGS);

    await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1', { properties: { status: 'Done' } })], UPSERT_FLAGS);

    assert.deepEqual(simulator.state.entities('jiraIssue')[0]?.properties, { status: 'Done', priority: 'High' });
  });

  it('replaces properties with merge false', async () => {
    const replace = { ...UPSERT_FLAGS, merge: false };
    await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1', { properties: { status: 'Open', priority: 'High' } })], replace);

    await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1', { properties: { status: 'Done' } })], replace);

    assert.deepEqual(simulator.state.entities('jiraIssue')[0]?.properties, { status: 'Done' });
  });

  it('sends create_missing_related_entities', async () => {
    const withRelation = entity('jiraIssue', 'PROJ-1', { relations: { project: 'PROJ' } });

    const strict = await client.upsertEntities('jiraIssue', [withRelation], { merge: true, createMissingRelatedEntities: false });
    const lenient = await client.upsertEntities('jiraIssue', [withRelation], UPSERT_FLAGS);

    assert.equal(strict.failed[0]?.status, 404);
    assert.deepEqual(lenient.succeeded, ['PROJ-1']);
  });

  it('reports each attempt to onRequest', async () => {
    simulator.state.setFaults({ failNext: [{ path: BULK_PATH, status: 502 }] });

    await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1')], UPSERT_FLAGS);

    assert.deepEqual(harness.requests.filter((info) => info.endpoint === BULK).map((info) => info.status), [502, 200]);
  });

  it('throws on an entity of another blueprint', async () => {
    await assert.rejects(client.upsertEntities('jiraIssue', [entity('jiraProject', 'PROJ')], UPSERT_FLAGS), TypeError);
  });
});
