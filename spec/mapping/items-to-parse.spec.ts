import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expandItem, leadingPath, withoutPath } from '../../src/mapping/items-to-parse.js';

describe('leadingPath', () => {
  test('dotted path', () => {
    assert.deepEqual(leadingPath('.fields.subtasks'), ['fields', 'subtasks']);
  });

  test('path before a pipe', () => {
    assert.deepEqual(leadingPath(' .fields.subtasks | map(.)'), ['fields', 'subtasks']);
  });

  test('index and quoted key', () => {
    assert.deepEqual(leadingPath('.a[0]["b c"]'), ['a', 0, 'b c']);
  });

  test('no leading path', () => {
    assert.equal(leadingPath('[.a, .b]'), undefined);
  });
});

describe('withoutPath', () => {
  test('nested key removed', () => {
    const input = { fields: { subtasks: [1], summary: 's' }, key: 'K' };
    assert.deepEqual(withoutPath(input, ['fields', 'subtasks']), { fields: { summary: 's' }, key: 'K' });
  });

  test('input unchanged', () => {
    const input = { fields: { subtasks: [1] } };
    withoutPath(input, ['fields', 'subtasks']);
    assert.deepEqual(input, { fields: { subtasks: [1] } });
  });

  test('array element removed', () => {
    assert.deepEqual(withoutPath({ a: [1, 2, 3] }, ['a', 1]), { a: [1, 3] });
  });

  test('missing path ignored', () => {
    assert.deepEqual(withoutPath({ a: 1 }, ['b', 'c']), { a: 1 });
  });
});

describe('expandItem', () => {
  test('element under name', () => {
    assert.deepEqual(expandItem({ key: 'K' }, [1, 2], 'item'), [{ key: 'K', item: 1 }, { key: 'K', item: 2 }]);
  });

  test('non-object parent', () => {
    assert.deepEqual(expandItem([9], [1], 'x'), [{ x: 1 }]);
  });
});
