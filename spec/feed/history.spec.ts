import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryResultHistory } from '../../src/feed/history.js';
import { makeResult, range } from './feed-fixture.js';

function offsetsOf(history: MemoryResultHistory, after: number, limit = 1000): number[] {
  return history.after(after, limit).map((result) => result.offset);
}

function historyWith(offsets: readonly number[], capacity?: number): MemoryResultHistory {
  const history = new MemoryResultHistory(capacity);
  offsets.forEach((offset) => history.record(makeResult(offset)));
  return history;
}

describe('MemoryResultHistory', () => {
  test('empty history', () => {
    const history = new MemoryResultHistory();

    assert.equal(history.oldestOffset(), undefined);
    assert.deepEqual(history.after(0, 10), []);
  });

  test('after returns higher offsets', () => {
    const history = historyWith(range(1, 10));

    assert.deepEqual(offsetsOf(history, 4), range(5, 10));
    assert.deepEqual(offsetsOf(history, 0), range(1, 10));
    assert.deepEqual(offsetsOf(history, 10), []);
    assert.deepEqual(offsetsOf(history, 99), []);
  });

  test('after honours limit', () => {
    const history = historyWith(range(1, 10));

    assert.deepEqual(offsetsOf(history, 2, 3), [3, 4, 5]);
    assert.deepEqual(offsetsOf(history, 2, 0), []);
  });

  test('after skips missing offsets', () => {
    const history = historyWith([2, 5, 9, 14]);

    assert.deepEqual(offsetsOf(history, 5), [9, 14]);
    assert.deepEqual(offsetsOf(history, 6), [9, 14]);
  });

  test('capacity evicts lowest offsets', () => {
    const history = historyWith(range(1, 25), 10);

    assert.equal(history.size(), 10);
    assert.equal(history.oldestOffset(), 16);
    assert.deepEqual(offsetsOf(history, 0), range(16, 25));
  });

  test('eviction survives compaction', () => {
    const history = historyWith(range(1, 1003), 7);

    assert.equal(history.size(), 7);
    assert.equal(history.oldestOffset(), 997);
    assert.deepEqual(offsetsOf(history, 998), range(999, 1003));
  });

  test('late result kept in order', () => {
    const history = historyWith([1, 2, 4, 5, 3]);

    assert.deepEqual(offsetsOf(history, 0), [1, 2, 3, 4, 5]);
  });

  test('late result below oldest evicted', () => {
    const history = historyWith([5, 6, 7, 2], 3);

    assert.equal(history.oldestOffset(), 5);
    assert.deepEqual(offsetsOf(history, 0), [5, 6, 7]);
  });

  test('same offset replaces result', () => {
    const history = historyWith([1, 2, 3]);

    history.record(makeResult(2, { outcome: 'failed' }));
    history.record(makeResult(3, { outcome: 'deleted' }));

    assert.equal(history.size(), 3);
    assert.deepEqual(history.after(0, 10).map((result) => result.outcome), ['upserted', 'failed', 'deleted']);
  });

  test('default capacity is 10000', () => {
    const history = historyWith(range(1, 10_005));

    assert.equal(history.size(), 10_000);
    assert.equal(history.oldestOffset(), 6);
  });

  test('invalid capacity rejected', () => {
    assert.throws(() => new MemoryResultHistory(0), RangeError);
    assert.throws(() => new MemoryResultHistory(2.5), RangeError);
  });
});
