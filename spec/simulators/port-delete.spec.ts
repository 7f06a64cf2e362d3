import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { startHarness } from './port-helpers.js';

describe('port simulator delete', async () => {
  const { simulator, call } = await startHarness();
  after(() => simulator.close());

  const upsert = (blueprint: string, entities: unknown[]) =>
    call('POST', `/v1/blueprints/${blueprint}/entities/bulk?upsert=true&create_missing_related_entities=true`, { entities });

  beforeEach(async () => {
    simulator.state.reset();
    await upsert('jiraIssue', [{ identifier: 'PROJ-1' }, { identifier: 'PROJ-2' }]);
  });

  it('reports only existing ids as deleted', async () => {
    const reply = await call('POST', '/v1/blueprints/jiraIssue/bulk/entities/delete', { entities: ['PROJ-1', 'PROJ-404'] });

    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { ok: true, deletedEntities: ['PROJ-1'] });
    assert.deepEqual(simulator.state.entities('jiraIssue').map((entity) => entity.identifier), ['PROJ-2']);
  });

  it('rejects 101 ids with 422', async () => {
    const ids = Array.from({ length: 101 }, (_, index) => `PROJ-${index}`);

    const reply = await call('POST', '/v1/blueprints/jiraIssue/bulk/entities/delete', { entities: ids });

    assert.equal(reply.status, 422);
    assert.equal(simulator.state.entities('jiraIssue').length, 2);
  });

  it('rejects an unknown blueprint with 404', async () => {
    const reply = await call('POST', '/v1/blueprints/nothing/bulk/entities/delete', { entities: ['a'] });

    assert.equal(reply.status, 404);
  });

  it('deletes one entity on the single route', async () => {
    const deleted = await call('DELETE', '/v1/blueprints/jiraIssue/entities/PROJ-1');
    const again = await call('DELETE', '/v1/blueprints/jiraIssue/entities/PROJ-1');

    assert.equal(deleted.status, 200);
    assert.equal(again.status, 404);
  });

  it('reads an entity with an encoded slash', async () => {
    await upsert('jiraIssue', [{ identifier: 'team/a' }]);

    const reply = await call('GET', `/v1/blueprints/jiraIssue/entities/${encodeURIComponent('team/a')}`);

    assert.equal(reply.status, 200);
    assert.equal(reply.body.entity.identifier, 'team/a');
  });

  it('blocks a target of a required relation', async () => {
    simulator.state.loadBlueprints([
      { identifier: 'service', title: 'Service', permissive: false, schema: { properties: {} }, relations: { issue: { target: 'jiraIssue', required: true, many: false } } },
    ]);
    await upsert('service', [{ identifier: 'svc', relations: { issue: 'PROJ-1' } }]);

    const blocked = await call('POST', '/v1/blueprints/jiraIssue/bulk/entities/delete', { entities: ['PROJ-1'] });
    const cascaded = await call('POST', '/v1/blueprints/jiraIssue/bulk/entities/delete?delete_dependents=true', { entities: ['PROJ-1'] });

    assert.equal(blocked.status, 422);
    assert.equal(blocked.body.error, 'has_dependents');
    assert.deepEqual(cascaded.body.deletedEntities, ['PROJ-1']);
    assert.deepEqual(simulator.state.entities('service'), []);
  });
});
