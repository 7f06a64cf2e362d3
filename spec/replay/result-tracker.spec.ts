import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ResultTracker } from '../../src/replay/result-tracker.js';

describe('ResultTracker', () => {
  test('latency runs from send to result', () => {
    const tracker = new ResultTracker();
    tracker.sent('a', 100);
    tracker.expect('a');
    tracker.observe({ deliveryId: 'a', outcome: 'upserted', observedAt: 350 });

    const summary = tracker.summary();
    assert.deepEqual({ expected: summary.expected, observed: summary.observed, missing: summary.missing }, { expected: 1, observed: 1, missing: 0 });
    assert.equal(summary.latencyMs?.max, 250);
    assert.deepEqual(summary.outcomes, { upserted: 1 });
  });

  test('result before the response counts', async () => {
    const tracker = new ResultTracker();
    tracker.sent('early', 0);
    tracker.observe({ deliveryId: 'early', outcome: 'deleted', observedAt: 5 });
    tracker.expect('early');

    assert.equal(await tracker.waitForAll(1000), true);
    assert.equal(tracker.summary().observed, 1);
  });

  test('results of other traffic are ignored', () => {
    const tracker = new ResultTracker();
    tracker.observe({ deliveryId: 'not-ours', outcome: 'upserted', observedAt: 1 });
    assert.deepEqual(tracker.summary().outcomes, {});
  });

  test('retry keeps the first send time', () => {
    const tracker = new ResultTracker();
    tracker.sent('a', 10);
    tracker.sent('a', 90);
    tracker.expect('a');
    tracker.observe({ deliveryId: 'a', outcome: 'upserted', observedAt: 110 });
    assert.equal(tracker.summary().latencyMs?.max, 100);
  });

  test('wait ends at the timeout with results missing', async () => {
    const tracker = new ResultTracker();
    tracker.sent('lost', 0);
    tracker.expect('lost');

    assert.equal(await tracker.waitForAll(20), false);
    assert.equal(tracker.summary().missing, 1);
  });

  test('wait ends when the last result arrives', async () => {
    const tracker = new ResultTracker();
    tracker.sent('a', 0);
    tracker.expect('a');
    const waiting = tracker.waitForAll(60_000);
    tracker.observe({ deliveryId: 'a', outcome: 'ignored', observedAt: 1 });
    assert.equal(await waiting, true);
  });
});
