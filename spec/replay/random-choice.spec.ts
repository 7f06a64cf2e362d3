import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { insertAtRandom, pickPopular, pickWeighted, seededUuid } from '../../src/replay/random-choice.js';
import { seededRandom } from '../../src/simulators/jira/random.js';

describe('random choices', () => {
  test('skew 3 gives the first tenth about 46 %', () => {
    const random = seededRandom(3);
    const values = Array.from({ length: 1000 }, (_, index) => index);
    let front = 0;
    for (let draw = 0; draw < 20_000; draw += 1) if (pickPopular(random, values, 3) < 100) front += 1;
    assert.ok(Math.abs(front / 20_000 - 0.464) < 0.02, `share ${front / 20_000}`);
  });

  test('skew 1 is uniform', () => {
    const random = seededRandom(4);
    const values = Array.from({ length: 10 }, (_, index) => index);
    let front = 0;
    for (let draw = 0; draw < 20_000; draw += 1) if (pickPopular(random, values, 1) === 0) front += 1;
    assert.ok(Math.abs(front / 20_000 - 0.1) < 0.01, `share ${front / 20_000}`);
  });

  test('zero weights are never picked', () => {
    const random = seededRandom(5);
    for (let draw = 0; draw < 1000; draw += 1) assert.notEqual(pickWeighted(random, [['never', 0], ['always', 1]]), 'never');
  });

  test('all zero weights throw', () => {
    assert.throws(() => pickWeighted(seededRandom(1), [['a', 0]]), RangeError);
  });

  test('seeded UUIDs are version 4 and repeat with the seed', () => {
    const first = seededUuid(seededRandom(7));
    assert.match(first, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(seededUuid(seededRandom(7)), first);
  });

  test('insertion keeps every element', () => {
    const random = seededRandom(8);
    const list: number[] = [];
    for (let value = 0; value < 50; value += 1) insertAtRandom(random, list, value);
    assert.deepEqual([...list].sort((left, right) => left - right), Array.from({ length: 50 }, (_, index) => index));
  });
});
