import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryEventLog } from '../../src/log/memory-event-log.js';
import { CheckpointTracker } from '../../src/pipeline/checkpoint.js';
import { seededRandom } from '../../src/simulators/jira/random.js';

/** Create a log with `count` deliveries (offsets 1 to count) and a tracker that has read them all. */
async function trackerWithReads(count: number): Promise<{ log: MemoryEventLog; tracker: CheckpointTracker }> {
  const log = new MemoryEventLog();
  for (let index = 1; index <= count; index += 1) {
    await log.append({ deliveryId: `d-${index}`, receivedAt: index, headers: {}, body: Buffer.from('{}') });
  }
  const tracker = new CheckpointTracker(log);
  for (let offset = 1; offset <= count; offset += 1) tracker.read(offset);
  return { log, tracker };
}

describe('checkpoint tracker', () => {
  test('later end does not pass earlier work', async () => {
    const { log, tracker } = await trackerWithReads(3);

    tracker.end(3);
    tracker.end(2);

    assert.equal(log.lastCheckpoint(), 0);
    assert.equal(tracker.unfinished(), 1);
  });

  test('earliest end moves past ended ones', async () => {
    const { log, tracker } = await trackerWithReads(4);
    tracker.end(3);
    tracker.end(2);

    tracker.end(1);

    assert.equal(log.lastCheckpoint(), 3);
    assert.equal(tracker.unfinished(), 1);
  });

  test('stops at the first unfinished offset', async () => {
    const { log, tracker } = await trackerWithReads(5);

    for (const offset of [5, 1, 4, 2]) tracker.end(offset);

    assert.equal(log.lastCheckpoint(), 2);
    tracker.end(3);
    assert.equal(log.lastCheckpoint(), 5);
  });

  test('offsets with gaps advance in read order', async () => {
    const log = new MemoryEventLog();
    for (let index = 1; index <= 9; index += 1) {
      await log.append({ deliveryId: `d-${index}`, receivedAt: index, headers: {}, body: Buffer.from('{}') });
    }
    const tracker = new CheckpointTracker(log);
    for (const offset of [2, 5, 9]) tracker.read(offset);

    tracker.end(9);
    tracker.end(2);
    assert.equal(log.lastCheckpoint(), 2);
    tracker.end(5);
    assert.equal(log.lastCheckpoint(), 9);
  });

  test('unknown and repeated ends are ignored', async () => {
    const { log, tracker } = await trackerWithReads(2);

    tracker.end(7);
    tracker.end(2);
    tracker.end(2);

    assert.equal(log.lastCheckpoint(), 0);
    assert.equal(tracker.unfinished(), 1);
  });

  test('random completion order never passes open work', async () => {
    const count = 3000;
    const { log, tracker } = await trackerWithReads(count);
    const order = shuffled(count, 42);
    const ended = new Set<number>();

    for (const offset of order) {
      tracker.end(offset);
      ended.add(offset);
      const checkpoint = log.lastCheckpoint();
      for (let earlier = 1; earlier <= checkpoint; earlier += 1) {
        if (!ended.has(earlier)) assert.fail(`checkpoint ${checkpoint} passed unfinished offset ${earlier}`);
      }
      assert.ok(checkpoint === count || !ended.has(checkpoint + 1), `checkpoint ${checkpoint} stopped before ended offset ${checkpoint + 1}`);
    }
    assert.equal(log.lastCheckpoint(), count);
    assert.equal(tracker.unfinished(), 0);
  });
});

/** Offsets 1 to `count` in a seeded random order (Fisher-Yates shuffle). */
function shuffled(count: number, seed: number): number[] {
  const random = seededRandom(seed);
  const offsets = Array.from({ length: count }, (_, index) => index + 1);
  for (let index = offsets.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [offsets[index], offsets[other]] = [offsets[other] as number, offsets[index] as number];
  }
  return offsets;
}
