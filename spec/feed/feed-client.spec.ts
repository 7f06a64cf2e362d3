import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { TEST_TOKEN, FeedTestClient, captureLogs, makeResult, pushRange, range, startFeedServer } from './feed-fixture.js';

const GUARD = { timeout: 30_000 };

/** Returns the raw TCP socket under a `ws` client, which a test pauses to stall reading. */
function rawSocket(client: FeedTestClient): Socket {
  return (client.socket as unknown as { _socket: Socket })._socket;
}

describe('FeedClient resume', () => {
  test('resume has no gap and no duplicate', GUARD, async (t) => {
    const logs = captureLogs();
    const fixture = await startFeedServer({ token: TEST_TOKEN, logger: logs.logger });
    t.after(() => fixture.close());
    // 1980 stored results of 16 KiB each (about 32 MiB) are more than the
    // kernel's socket buffers take, so the replay stalls while the client's
    // socket is paused, and the live results below arrive during the replay.
    pushRange(fixture, 1, 2000, { reason: 'x'.repeat(16 * 1024) });

    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, from: '20' }));
    rawSocket(client).pause();
    for (let offset = 2001; offset <= 2100; offset += 1) {
      fixture.results.next(makeResult(offset));
      await nextTurn();
    }
    const receivedWhilePaused = client.offsets().length;
    rawSocket(client).resume();
    await client.waitForOffset(2100);
    pushRange(fixture, 2101, 2110);
    await client.waitForOffset(2110);

    const [replayFinished] = logs.lines('feed client replay finished');

    const replayed = Number(replayFinished?.['replayedResults']);
    const skipped = Number(replayFinished?.['skippedDuplicates']);

    t.diagnostic(
      `the client had ${receivedWhilePaused} results when the live results arrived; ` +
        `the replay sent ${replayed}, and ${skipped} of the 100 held live results were already in it`,
    );
    assert.equal(replayFinished?.['heldLiveResults'], 100);
    assert.equal(replayed - 1980, skipped);
    assert.deepEqual(client.offsets(), range(21, 2110));
  });

  test('resume older than history sends gap', GUARD, async (t) => {
    const fixture = await startFeedServer({ token: TEST_TOKEN, historyCapacity: 10 });
    t.after(() => fixture.close());
    pushRange(fixture, 1, 30);

    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, from: '5' }));
    await client.waitForOffset(30);

    assert.deepEqual(client.messages[0], { type: 'gap', oldestOffset: 21 });
    assert.deepEqual(client.offsets(), range(21, 30));
  });

  test('resume just before oldest sends no gap', GUARD, async (t) => {
    const fixture = await startFeedServer({ token: TEST_TOKEN, historyCapacity: 10 });
    t.after(() => fixture.close());
    pushRange(fixture, 1, 30);

    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, from: '20' }));
    await client.waitForOffset(30);

    assert.equal(client.messages.length, 10);
    assert.deepEqual(client.offsets(), range(21, 30));
  });

  test('resume applies filters to replay', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    for (let offset = 1; offset <= 20; offset += 1) {
      fixture.results.next(makeResult(offset, { outcome: offset % 4 === 0 ? 'failed' : 'upserted' }));
    }

    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, from: '6', outcomes: 'failed' }));
    fixture.results.next(makeResult(21, { outcome: 'failed' }));
    await client.waitForOffset(21);

    assert.deepEqual(client.offsets(), [8, 12, 16, 20, 21]);
  });

  test('eviction during replay drops client', GUARD, async (t) => {
    const fixture = await startFeedServer({ token: TEST_TOKEN, historyCapacity: 50 });
    t.after(() => fixture.close());
    // 50 stored results of 1 MiB each stall the replay while the socket is
    // paused. The 100 live results then evict every result the replay had
    // not sent yet.
    pushRange(fixture, 1, 50, { reason: 'x'.repeat(1024 * 1024) });
    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, from: '0' }));
    rawSocket(client).pause();
    for (let offset = 51; offset <= 150; offset += 1) {
      fixture.results.next(makeResult(offset));
      await nextTurn();
    }

    rawSocket(client).resume();
    const closed = await client.closed;
    const lastReceived = client.offsets()[client.offsets().length - 1] ?? 0;
    const resumed = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, from: String(lastReceived) }));
    await resumed.waitForOffset(150);
    t.diagnostic(`the first connection received ${client.offsets().length} results before the replay fell behind eviction`);

    assert.equal(closed.code, 1013);
    assert.equal(closed.reason, `slow consumer; resume from offset ${lastReceived}`);
    assert.deepEqual(client.offsets(), range(1, lastReceived));
    assert.deepEqual(resumed.messages[0], { type: 'gap', oldestOffset: 101 });
    assert.deepEqual(resumed.offsets(), range(101, 150));
  });

  test('resume past newest waits for live', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    pushRange(fixture, 1, 5);

    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, from: '5' }));
    pushRange(fixture, 6, 7);
    await client.waitForOffset(7);

    assert.deepEqual(client.offsets(), [6, 7]);
  });
});

describe('FeedClient slow consumer', () => {
  test('slow client closed with 1013', GUARD, async (t) => {
    const fixture = await startFeedServer({ token: TEST_TOKEN, maxBufferedMessages: 100, maxBufferedBytes: 256 * 1024 });
    t.after(() => fixture.close());
    const fast = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }));
    const slow = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }));
    rawSocket(slow).pause();

    // Large results fill the kernel's socket buffers sooner. Each chunk waits
    // for the fast client, so only the paused client falls behind.
    const padding = 'x'.repeat(4096);
    let lastPushed = 0;
    for (let chunk = 0; chunk < 2000 && fixture.feed.counters().slowConsumersDropped === 0; chunk += 1) {
      pushRange(fixture, lastPushed + 1, lastPushed + 50, { reason: padding });
      lastPushed += 50;
      await fast.waitForOffset(lastPushed);
    }
    pushRange(fixture, lastPushed + 1, lastPushed + 50, { reason: padding });
    lastPushed += 50;
    await fast.waitForOffset(lastPushed);

    rawSocket(slow).resume();
    const closed = await slow.closed;
    const slowOffsets = slow.offsets();
    t.diagnostic(`results pushed: ${lastPushed}; fast client received ${fast.offsets().length}; slow client received ${slowOffsets.length}`);

    assert.equal(fixture.feed.counters().slowConsumersDropped, 1);
    assert.equal(closed.code, 1013);
    assert.equal(closed.reason, `slow consumer; resume from offset ${slowOffsets[slowOffsets.length - 1]}`);
    assert.ok(Buffer.byteLength(closed.reason) <= 123);
    assert.deepEqual(slowOffsets, range(1, slowOffsets.length));
    assert.deepEqual(fast.offsets(), range(1, lastPushed));
    assert.equal(fast.socket.readyState, WebSocket.OPEN);
  });

  test('slow client resumes without gap', GUARD, async (t) => {
    const fixture = await startFeedServer({ token: TEST_TOKEN, maxBufferedMessages: 100, maxBufferedBytes: 256 * 1024 });
    t.after(() => fixture.close());
    const slow = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }));
    rawSocket(slow).pause();

    const padding = 'x'.repeat(4096);
    let lastPushed = 0;
    while (fixture.feed.counters().slowConsumersDropped === 0 && lastPushed < 100_000) {
      pushRange(fixture, lastPushed + 1, lastPushed + 50, { reason: padding });
      lastPushed += 50;
      await nextTurn();
    }
    rawSocket(slow).resume();
    const closed = await slow.closed;
    const resumeFrom = /resume from offset (\d+)$/.exec(closed.reason)?.[1];
    assert.ok(resumeFrom !== undefined, `close reason without an offset: ${closed.reason}`);

    const resumed = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, from: resumeFrom }));
    await resumed.waitForOffset(lastPushed);
    t.diagnostic(`first connection received ${slow.offsets().length} results, the resumed one ${resumed.offsets().length}`);

    assert.deepEqual([...slow.offsets(), ...resumed.offsets()], range(1, lastPushed));
  });
});

describe('FeedClient liveness', () => {
  test('dead client terminated', GUARD, async (t) => {
    const fixture = await startFeedServer({ token: TEST_TOKEN, pingIntervalMs: 50 });
    t.after(() => fixture.close());
    const healthy = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }));
    const dead = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }), { autoPong: false });
    let healthyPings = 0;
    const threePings = new Promise<void>((resolve) => {
      healthy.socket.on('ping', () => {
        healthyPings += 1;
        if (healthyPings === 3) {
          resolve();
        }
      });
    });

    const closed = await dead.closed;
    await threePings;

    assert.equal(closed.code, 1006);
    assert.equal(fixture.feed.counters().deadClientsTerminated, 1);
    assert.equal(healthy.socket.readyState, WebSocket.OPEN);
    assert.equal(fixture.feed.clientCount(), 1);
  });
});
