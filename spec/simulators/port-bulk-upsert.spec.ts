import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { startHarness } from './port-helpers.js';

const BULK = '/v1/blueprints/jiraIssue/entities/bulk?upsert=true&merge=false&create_missing_related_entities=true';

function issue(identifier: string, extra: Record<string, unknown> = {}) {
  return { identifier, title: `Issue ${identifier}`, properties: { status: 'Open' }, relations: {}, ...extra };
}

describe('port simulator bulk upsert', async () => {
  const harness = await startHarness();
  const { simulator, call } = harness;
  after(() => simulator.close());
  beforeEach(() => simulator.state.reset());

  it('returns 200 when every entity is valid', async () => {
    const reply = await call('POST', BULK, { entities: [issue('PROJ-1'), issue('PROJ-2')] });

    assert.equal(reply.status, 200);
    assert.equal(reply.body.ok, true);
    assert.deepEqual(reply.body.errors, []);
    assert.deepEqual(reply.body.entities.map((entity: { identifier: string; index: number }) => [entity.identifier, entity.index]), [['PROJ-1', 0], ['PROJ-2', 1]]);
    assert.equal(simulator.state.entities('jiraIssue').length, 2);
  });

  it('returns 207 with per-entity errors', async () => {
    const entities = [issue('PROJ-1'), issue('..'), issue('PROJ-3', { properties: { status: 5 } })];

    const reply = await call('POST', BULK, { entities });

    assert.equal(reply.status, 207);
    assert.equal(reply.body.ok, false);
    assert.deepEqual(reply.body.entities.map((entity: { index: number }) => entity.index), [0]);
    assert.deepEqual(reply.body.errors.map((error: { index: number; statusCode: number }) => [error.index, error.statusCode]), [[1, 422], [2, 422]]);
    assert.equal(reply.body.errors[1].identifier, 'PROJ-3');
    assert.match(reply.body.errors[1].message, /status/);
  });

  it('rejects identifiers matched by a rule', async () => {
    simulator.state.rejectIdentifiers({ identifiers: ['PROJ-2'], statusCode: 400, error: 'custom' });

    const reply = await call('POST', BULK, { entities: [issue('PROJ-1'), issue('PROJ-2')] });

    assert.equal(reply.status, 207);
    assert.deepEqual(reply.body.errors[0], { identifier: 'PROJ-2', index: 1, statusCode: 400, error: 'custom', message: 'identifier "PROJ-2" is rejected by a simulator rule' });
  });

  it('rejects an identifier over 1000 characters', async () => {
    const reply = await call('POST', BULK, { entities: [issue('a'.repeat(1001))] });

    assert.equal(reply.status, 207);
    assert.equal(reply.body.errors[0].statusCode, 422);
  });

  it('accepts identifiers with letters and symbols', async () => {
    const reply = await call('POST', BULK, { entities: [issue('Ünïcode@team/a.b+c:d=e-f_g')] });

    assert.equal(reply.status, 200);
  });

  it('rejects a property not in the schema', async () => {
    const reply = await call('POST', BULK, { entities: [issue('PROJ-1', { properties: { colour: 'red' } })] });

    assert.equal(reply.status, 207);
    assert.match(reply.body.errors[0].message, /colour/);
  });

  it('rejects an empty entity list with 422', async () => {
    const reply = await call('POST', BULK, { entities: [] });

    assert.equal(reply.status, 422);
  });

  it('rejects 21 entities with 422', async () => {
    const entities = Array.from({ length: 21 }, (_, index) => issue(`PROJ-${index}`));

    const reply = await call('POST', BULK, { entities });

    assert.equal(reply.status, 422);
    assert.equal(simulator.state.entities().length, 0);
  });

  it('rejects a body over 1 MiB with 413', async () => {
    const big = 'x'.repeat(1024 * 1024);

    const reply = await call('POST', BULK, { entities: [issue('PROJ-1', { properties: { status: big } })] });

    assert.equal(reply.status, 413);
    assert.deepEqual({ ok: reply.body.ok, error: reply.body.error }, { ok: false, error: 'request_too_large' });
  });

  it('answers later requests after a 413', async () => {
    await call('POST', BULK, { entities: [issue('PROJ-1', { title: 'x'.repeat(2 * 1024 * 1024) })] });

    const reply = await call('POST', BULK, { entities: [issue('PROJ-1')] });

    assert.equal(reply.status, 200);
  });

  it('replaces properties without merge', async () => {
    await call('POST', BULK, { entities: [issue('PROJ-1', { properties: { status: 'Open', priority: 'High' } })] });

    await call('POST', BULK, { entities: [issue('PROJ-1', { properties: { status: 'Done' } })] });

    assert.deepEqual(simulator.state.entities('jiraIssue')[0]?.properties, { status: 'Done' });
  });

  it('merges properties with merge=true', async () => {
    const merge = BULK.replace('merge=false', 'merge=true');
    await call('POST', merge, { entities: [issue('PROJ-1', { properties: { status: 'Open', priority: 'High' } })] });

    await call('POST', merge, { entities: [issue('PROJ-1', { properties: { status: 'Done' } })] });

    assert.deepEqual(simulator.state.entities('jiraIssue')[0]?.properties, { status: 'Done', priority: 'High' });
  });

  it('reports created only for new entities', async () => {
    const first = await call('POST', BULK, { entities: [issue('PROJ-1')] });
    const second = await call('POST', BULK, { entities: [issue('PROJ-1')] });

    assert.equal(first.body.entities[0].created, true);
    assert.equal(second.body.entities[0].created, false);
  });

  it('rejects an existing identifier without upsert', async () => {
    await call('POST', BULK, { entities: [issue('PROJ-1')] });

    const reply = await call('POST', '/v1/blueprints/jiraIssue/entities/bulk', { entities: [issue('PROJ-1')] });

    assert.equal(reply.status, 207);
    assert.equal(reply.body.errors[0].statusCode, 409);
  });

  it('creates missing related entities when asked', async () => {
    const reply = await call('POST', BULK, { entities: [issue('PROJ-1', { relations: { project: 'PROJ', assignee: null } })] });

    assert.equal(reply.status, 200);
    assert.deepEqual(simulator.state.entities('jiraProject').map((entity) => entity.identifier), ['PROJ']);
  });

  it('rejects missing related entities with 404', async () => {
    const strict = BULK.replace('create_missing_related_entities=true', 'create_missing_related_entities=false');

    const reply = await call('POST', strict, { entities: [issue('PROJ-1', { relations: { project: 'PROJ' } })] });

    assert.equal(reply.status, 207);
    assert.equal(reply.body.errors[0].statusCode, 404);
    assert.equal(reply.body.errors[0].error, 'not_found');
  });

  it('rejects an array for a single relation', async () => {
    const reply = await call('POST', BULK, { entities: [issue('PROJ-1', { relations: { project: ['A', 'B'] } })] });

    assert.equal(reply.status, 207);
    assert.match(reply.body.errors[0].message, /single relation/);
  });

  it('stores nothing with validation_only', async () => {
    const reply = await call('POST', `${BULK}&validation_only=true`, { entities: [issue('PROJ-1')] });

    assert.equal(reply.status, 200);
    assert.equal(simulator.state.entities().length, 0);
  });

  it('creates an unknown blueprint on write', async () => {
    const reply = await call('POST', '/v1/blueprints/custom/entities/bulk?upsert=true', { entities: [{ identifier: 'c1', properties: { any: 1 } }] });

    assert.equal(reply.status, 200);
    assert.equal(simulator.state.entities('custom').length, 1);
  });

  it('upserts one entity on the single route', async () => {
    const created = await call('POST', '/v1/blueprints/jiraIssue/entities?upsert=true', issue('PROJ-9'));
    const updated = await call('POST', '/v1/blueprints/jiraIssue/entities?upsert=true', issue('PROJ-9'));

    assert.equal(created.status, 201);
    assert.equal(created.body.entity.identifier, 'PROJ-9');
    assert.equal(updated.status, 200);
  });

  it('rejects an invalid entity on the single route', async () => {
    const reply = await call('POST', '/v1/blueprints/jiraIssue/entities?upsert=true', issue('.'));

    assert.equal(reply.status, 422);
    assert.equal(reply.body.ok, false);
  });
});

describe('port simulator without blueprint auto-create', async () => {
  const { simulator, call } = await startHarness({ autoCreateBlueprints: false });
  after(() => simulator.close());

  it('rejects an unknown blueprint with 404', async () => {
    const reply = await call('POST', '/v1/blueprints/custom/entities/bulk?upsert=true', { entities: [{ identifier: 'c1' }] });

    assert.equal(reply.status, 404);
    assert.equal(reply.body.error, 'not_found');
  });

  it('creates and reads a blueprint', async () => {
    const blueprint = { identifier: 'service', title: 'Service', schema: { properties: { tier: { type: 'number' } } }, relations: {} };

    const created = await call('POST', '/v1/blueprints', blueprint);
    const read = await call('GET', '/v1/blueprints/service');
    const duplicate = await call('POST', '/v1/blueprints', blueprint);

    assert.equal(created.status, 200);
    assert.deepEqual(read.body.blueprint.schema, blueprint.schema);
    assert.equal(duplicate.status, 409);
  });

  it('checks property types of a created blueprint', async () => {
    const reply = await call('POST', '/v1/blueprints/service/entities/bulk?upsert=true', { entities: [{ identifier: 's1', properties: { tier: 'gold' } }] });

    assert.equal(reply.status, 207);
    assert.equal(reply.body.errors[0].error, 'invalid_property_type');
  });
});
