import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReplayOptionError } from '../../src/replay/errors.js';
import { describePacing, dueAfterStart, pacingOf } from '../../src/replay/pacing.js';

const T0 = Date.UTC(2026, 0, 5, 9);

describe('pacing', () => {
  test('no option means as fast as possible', () => {
    assert.deepEqual(pacingOf(undefined, undefined), { mode: 'asap' });
    assert.equal(dueAfterStart({ mode: 'asap' }, 500, T0 + 60_000, T0), 0);
  });

  test('fixed rate spaces deliveries evenly', () => {
    const pacing = pacingOf(50, undefined);
    assert.equal(dueAfterStart(pacing, 0, T0, T0), 0);
    assert.equal(dueAfterStart(pacing, 100, T0, T0), 2000);
  });

  test('recorded pacing divides the gaps by the speed', () => {
    const pacing = pacingOf(undefined, 4);
    assert.equal(dueAfterStart(pacing, 7, T0 + 10_000, T0), 2500);
  });

  test('recorded time going backwards is due at once', () => {
    assert.equal(dueAfterStart(pacingOf(undefined, 1), 3, T0 - 5000, T0), 0);
  });

  test('invalid options are rejected', () => {
    assert.throws(() => pacingOf(10, 2), (error: unknown) => error instanceof ReplayOptionError && /exclude each other/.test(error.message));
    assert.throws(() => pacingOf(0, undefined), (error: unknown) => error instanceof ReplayOptionError && error.option === '--rate');
    assert.throws(() => pacingOf(undefined, -1), (error: unknown) => error instanceof ReplayOptionError && error.option === '--speed');
  });

  test('descriptions name the mode', () => {
    assert.equal(describePacing({ mode: 'asap' }), 'as fast as possible');
    assert.equal(describePacing({ mode: 'rate', perSecond: 50 }), 'fixed rate, 50 deliveries/s');
    assert.equal(describePacing({ mode: 'original', speed: 2 }), 'recorded pacing × 2');
  });
});
