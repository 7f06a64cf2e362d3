import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWaitHintMs, serverWaitMs } from '../../src/port/wait-hints.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('parseWaitHintMs', () => {
  const cases: Array<[string | null, number | undefined]> = [
    ['3', 3000],
    ['0.5', 500],
    [String(NOW / 1000 + 7), 7000],
    [String(NOW / 1000 - 7), 0],
    ['Thu, 01 Jan 2026 12:00:10 GMT', 10_000],
    ['2026-01-01T12:00:04Z', 4000],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ];

  for (const [value, expected] of cases) {
    it(`reads ${JSON.stringify(value)}`, () => {
      assert.equal(parseWaitHintMs(value, NOW), expected);
    });
  }
});

describe('serverWaitMs', () => {
  it('prefers Retry-After', () => {
    const headers = new Headers({ 'retry-after': '2', 'x-ratelimit-reset': '9' });

    assert.equal(serverWaitMs(429, headers, NOW), 2000);
  });

  it('uses the reset on 429', () => {
    assert.equal(serverWaitMs(429, new Headers({ 'x-ratelimit-reset': '9' }), NOW), 9000);
  });

  it('ignores the reset on 503', () => {
    assert.equal(serverWaitMs(503, new Headers({ 'x-ratelimit-reset': '9' }), NOW), undefined);
  });
});
