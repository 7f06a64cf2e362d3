import assert from 'node:assert/strict';
import { test } from 'node:test';

import { backoffDelayMs } from '../../src/jira/backoff.js';

const MIDDLE = (): number => 0.5;
const LOWEST = (): number => 0;
const HIGHEST = (): number => 0.999_999;

test('backoffDelayMs doubles from 1 s', () => {
  const delays = [1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, {}, MIDDLE));

  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16_000]);
});

test('backoffDelayMs jitter bounds', () => {
  assert.equal(backoffDelayMs(2, {}, LOWEST), 1400);
  assert.ok(Math.abs(backoffDelayMs(2, {}, HIGHEST) - 2600) < 0.01);
});

test('backoffDelayMs caps at 30 s', () => {
  assert.equal(backoffDelayMs(6, {}, HIGHEST), 30_000);
  assert.equal(backoffDelayMs(20, {}, LOWEST), 30_000);
});

test('backoffDelayMs with custom options', () => {
  const delay = backoffDelayMs(3, { baseMs: 10, factor: 3, maxMs: 50, jitter: [1, 1] }, MIDDLE);

  assert.equal(delay, 50);
});
