import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { entity, startClientHarness, UPSERT_FLAGS } from './client-harness.js';

const DELETE = 'POST /v1/blueprints/{bp}/bulk/entities/delete';
const GET_ENTITY = 'GET /v1/blueprints/{bp}/entities/{id}';

describe('PortClient deleteEntities', async () => {
  const { simulator, client } = await startClientHarness();
  after(() => simulator.close());

  beforeEach(async () => {
    simulator.state.reset();
    await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1'), entity('jiraIssue', 'PROJ-2')], UPSERT_FLAGS);
    simulator.state.resetRequestCounts();
  });

  it('deletes existing entities', async () => {
    const outcome = await client.deleteEntities('jiraIssue', ['PROJ-1', 'PROJ-2'], { deleteDependents: true });

    assert.deepEqual(outcome, { deleted: ['PROJ-1', 'PROJ-2'], failed: [] });
    assert.deepEqual(simulator.state.entities('jiraIssue'), []);
    assert.equal(simulator.state.requestCounts()[GET_ENTITY], undefined);
  });

  it('counts missing ids as deleted', async () => {
    const outcome = await client.deleteEntities('jiraIssue', ['PROJ-1', 'PROJ-404'], { deleteDependents: true });

    assert.deepEqual(outcome, { deleted: ['PROJ-1', 'PROJ-404'], failed: [] });
    assert.deepEqual(simulator.state.requestCounts()[GET_ENTITY], { 404: 1 });
  });

  it('counts ids of a missing blueprint as deleted', async () => {
    const outcome = await client.deleteEntities('nothing', ['a'], { deleteDependents: true });

    assert.deepEqual(outcome, { deleted: ['a'], failed: [] });
  });

  it('sends 250 ids in three requests', async () => {
    const ids = Array.from({ length: 250 }, (_, index) => `PROJ-${index + 1}`);

    const outcome = await client.deleteEntities('jiraIssue', ids, { deleteDependents: true });

    assert.equal(outcome.deleted.length, 250);
    assert.deepEqual(simulator.state.requestCounts()[DELETE], { 200: 3 });
  });

  it('fails ids blocked by dependents', async () => {
    simulator.state.loadBlueprints([
      { identifier: 'service', title: 'Service', permissive: false, schema: { properties: {} }, relations: { issue: { target: 'jiraIssue', required: true, many: false } } },
    ]);
    await client.upsertEntities('service', [{ identifier: 'svc', blueprint: 'service', properties: {}, relations: { issue: 'PROJ-1' } }], UPSERT_FLAGS);

    const blocked = await client.deleteEntities('jiraIssue', ['PROJ-1'], { deleteDependents: false });
    const cascaded = await client.deleteEntities('jiraIssue', ['PROJ-1'], { deleteDependents: true });

    assert.deepEqual(blocked.failed.map((failure) => [failure.identifier, failure.status, failure.error]), [['PROJ-1', 422, 'has_dependents']]);
    assert.deepEqual(cascaded.deleted, ['PROJ-1']);
    assert.deepEqual(simulator.state.entities('service'), []);
  });

  it('fails ids after 503 retries', async () => {
    simulator.state.setFaults({ failNext: [{ path: '/v1/blueprints/{bp}/bulk/entities/delete', status: 503, count: 10 }] });

    const outcome = await client.deleteEntities('jiraIssue', ['PROJ-1'], { deleteDependents: true });

    assert.deepEqual(outcome.deleted, []);
    assert.equal(outcome.failed[0]?.status, 503);
  });

  it('deduplicates ids', async () => {
    const outcome = await client.deleteEntities('jiraIssue', ['PROJ-1', 'PROJ-1'], { deleteDependents: true });

    assert.deepEqual(outcome.deleted, ['PROJ-1']);
  });
});
