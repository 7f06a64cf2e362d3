import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchEntities, bulkBody, bulkBodyBytes, chunk, serializeEntity } from '../../src/port/batching.js';

function serialized(identifier: string, padding = 0) {
  return serializeEntity({ identifier, blueprint: 'jiraIssue', properties: { notes: 'x'.repeat(padding) }, relations: {} });
}

describe('batchEntities', () => {
  it('splits by entity count', () => {
    const entities = Array.from({ length: 41 }, (_, index) => serialized(`E${index}`));

    assert.deepEqual(batchEntities(entities).map((batch) => batch.length), [20, 20, 1]);
  });

  it('splits by body bytes', () => {
    const entities = [serialized('A', 40), serialized('B', 40), serialized('C', 40)];
    const maxBytes = bulkBodyBytes(entities.slice(0, 2));

    assert.deepEqual(batchEntities(entities, 20, maxBytes).map((batch) => batch.map((entity) => entity.identifier)), [['A', 'B'], ['C']]);
  });

  it('keeps an oversized entity alone', () => {
    const entities = [serialized('A'), serialized('B', 500), serialized('C')];

    assert.deepEqual(batchEntities(entities, 20, 200).map((batch) => batch.map((entity) => entity.identifier)), [['A'], ['B'], ['C']]);
  });

  it('measures the body it builds', () => {
    const entities = [serialized('A', 3), serialized('Ü', 5)];

    assert.equal(bulkBodyBytes(entities), Buffer.byteLength(bulkBody(entities)));
  });

  it('leaves out the blueprint field', () => {
    assert.deepEqual(JSON.parse(serialized('A').json), { identifier: 'A', properties: { notes: '' }, relations: {} });
  });
});

describe('chunk', () => {
  it('splits into fixed sizes', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  });
});
