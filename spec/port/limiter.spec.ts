import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { PortLimiter } from '../../src/port/limiter.js';

describe('PortLimiter', () => {
  it('bounds requests in flight', async () => {
    const limiter = new PortLimiter(2);
    const first = await limiter.acquire();
    await limiter.acquire();
    let thirdStarted = false;

    const third = limiter.acquire().then((release) => {
      thirdStarted = true;
      return release;
    });
    await nextTurn();
    const startedWhileFull = thirdStarted;
    first();
    (await third)();

    assert.equal(startedWhileFull, false);
    assert.equal(thirdStarted, true);
  });

  it('holds new requests during a pause', async () => {
    const limiter = new PortLimiter(4);
    let started = false;

    limiter.pause(200);
    const waiting = limiter.acquire().then((release) => {
      started = true;
      release();
    });
    await nextTurn();
    const startedDuringPause = started;
    await waiting;

    assert.equal(startedDuringPause, false);
    assert.equal(started, true);
    assert.ok(limiter.pausedUntil <= Date.now());
  });

  it('keeps the longer of two pauses', () => {
    const limiter = new PortLimiter(1);

    limiter.pause(5000);
    const longEnd = limiter.pausedUntil;
    limiter.pause(10);

    assert.equal(limiter.pausedUntil, longEnd);
  });

  it('releases a slot once', async () => {
    const limiter = new PortLimiter(1);
    const release = await limiter.acquire();

    release();
    release();
    await limiter.acquire();
    let secondStarted = false;
    void limiter.acquire().then(() => {
      secondStarted = true;
    });
    await nextTurn();

    assert.equal(secondStarted, false);
  });
});
