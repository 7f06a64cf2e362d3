import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/core/logger.js';
import { WarningLimiter } from '../../src/mapping/warning-limiter.js';

function limiterWithClock() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const clock = { now: 0 };
  const limiter = new WarningLimiter(createLogger({ destination }), 1000, () => clock.now);
  return { limiter, lines, clock };
}

describe('WarningLimiter', () => {
  test('repeats within interval dropped', () => {
    const { limiter, lines } = limiterWithClock();
    limiter.warn('0:title', {}, 'failed');
    limiter.warn('0:title', {}, 'failed');
    assert.equal(lines.length, 1);
  });

  test('keys limited separately', () => {
    const { limiter, lines } = limiterWithClock();
    limiter.warn('0:title', {}, 'failed');
    limiter.warn('0:icon', {}, 'failed');
    assert.equal(lines.length, 2);
  });

  test('suppressed count after interval', () => {
    const { limiter, lines, clock } = limiterWithClock();
    limiter.warn('0:title', {}, 'failed');
    limiter.warn('0:title', {}, 'failed');
    limiter.warn('0:title', {}, 'failed');
    clock.now = 1000;
    limiter.warn('0:title', { field: 'title' }, 'failed');

    assert.equal(lines.length, 2);
    assert.equal(lines[1]?.['suppressed'], 2);
    assert.equal(lines[1]?.['field'], 'title');
  });
});
