import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LatencyHistogram } from '../../src/replay/latency.js';

describe('LatencyHistogram', () => {
  test('empty histogram has no summary', () => {
    assert.equal(new LatencyHistogram().summary(), null);
  });

  test('percentiles of 1 to 1000 ms', () => {
    const histogram = new LatencyHistogram();
    for (let milliseconds = 1; milliseconds <= 1000; milliseconds += 1) histogram.record(milliseconds);
    const summary = histogram.summary();

    assert.equal(summary?.count, 1000);
    assert.ok(Math.abs((summary?.p50 ?? 0) - 500) <= 1, `p50 ${summary?.p50}`);
    assert.ok(Math.abs((summary?.p99 ?? 0) - 990) <= 1, `p99 ${summary?.p99}`);
    assert.ok(Math.abs((summary?.max ?? 0) - 1000) <= 1, `max ${summary?.max}`);
  });

  test('sub-millisecond values stay distinct', () => {
    const histogram = new LatencyHistogram();
    histogram.record(0.2);
    histogram.record(0.8);
    const summary = histogram.summary();

    assert.equal(summary?.p50, 0.2);
    assert.equal(summary?.max, 0.8);
  });

  test('negative values count as zero', () => {
    const histogram = new LatencyHistogram();
    histogram.record(-5);
    assert.equal(histogram.summary()?.max, 0.001);
  });
});
