import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncomingDelivery } from '../../src/core/delivery.js';
import { CheckpointRangeError, EventLogClosedError, InvalidDeliveryError } from '../../src/log/errors.js';
import { MemoryEventLog } from '../../src/log/memory-event-log.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);

function delivery(deliveryId: string, receivedAt = T0): IncomingDelivery {
  return {
    deliveryId,
    receivedAt,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(`{"webhookEvent":"jira:issue_created","id":"${deliveryId}"}`),
  };
}

describe('memory event log', () => {
  test('append assigns increasing offsets', async () => {
    const log = new MemoryEventLog();

    assert.deepEqual(await log.append(delivery('a')), { offset: 1, duplicate: false });
    assert.deepEqual(await log.append(delivery('b')), { offset: 2, duplicate: false });
    assert.equal(log.headOffset(), 2);
  });

  test('same id twice stores one copy', async () => {
    const log = new MemoryEventLog();

    await log.append(delivery('a'));
    const copy = await log.append(delivery('a'));

    assert.deepEqual(copy, { offset: 1, duplicate: true });
    assert.equal(log.readAfter(0, 10).length, 1);
  });

  test('append stores a copy of the body', async () => {
    const log = new MemoryEventLog();
    const sent = delivery('a');

    await log.append(sent);
    sent.body.fill(0);

    assert.match(log.readAfter(0, 1)[0]?.body.toString('utf8') ?? '', /jira:issue_created/);
  });

  test('append rejects invalid delivery', async () => {
    const log = new MemoryEventLog();

    await assert.rejects(log.append({ ...delivery('a'), receivedAt: Number.NaN }), InvalidDeliveryError);
  });

  test('readAfter pages in offset order', async () => {
    const log = new MemoryEventLog();
    for (const id of ['a', 'b', 'c', 'd']) await log.append(delivery(id));

    assert.deepEqual(log.readAfter(1, 2).map((stored) => stored.deliveryId), ['b', 'c']);
    assert.deepEqual(log.readAfter(4, 2), []);
  });

  test('appended$ emits each new head', async () => {
    const log = new MemoryEventLog();
    const heads: number[] = [];
    log.appended$.subscribe((head) => heads.push(head));

    await log.append(delivery('a'));
    await log.append(delivery('a'));
    await log.append(delivery('b'));

    assert.deepEqual(heads, [1, 2]);
  });

  test('checkpoint moves forward only', async () => {
    const log = new MemoryEventLog();
    await log.append(delivery('a'));
    await log.append(delivery('b'));

    log.checkpoint(2);
    log.checkpoint(1);

    assert.equal(log.lastCheckpoint(), 2);
    assert.throws(() => log.checkpoint(3), CheckpointRangeError);
  });

  test('prune removes old checkpointed deliveries', async () => {
    const log = new MemoryEventLog({ retentionMs: DAY_MS, dedupeWindowMs: 3 * DAY_MS });
    await log.append(delivery('old-done', T0));
    await log.append(delivery('old-pending', T0));
    log.checkpoint(1);

    const removed = log.prune(T0 + 2 * DAY_MS);

    assert.deepEqual(removed, { deliveries: 1, deliveryIds: 0, processedResults: 0 });
    assert.deepEqual(log.readAfter(0, 10).map((stored) => stored.deliveryId), ['old-pending']);
  });

  test('prune keeps dead-lettered deliveries', async () => {
    const log = new MemoryEventLog({ retentionMs: DAY_MS });
    await log.append(delivery('failed', T0));
    log.checkpoint(1);
    log.deadLetters.add({
      deliveryId: 'failed',
      offset: 1,
      webhookEvent: 'jira:issue_created',
      processor: 'issue',
      kind: 'issue',
      resourceIndex: 0,
      error: 'Jira answered 503',
      attempts: 5,
      firstFailedAt: T0,
      lastFailedAt: T0,
    });

    log.prune(T0 + 2 * DAY_MS);

    assert.equal(log.readAfter(0, 10).length, 1);
  });

  test('pruned id dedupes within window', async () => {
    const log = new MemoryEventLog({ retentionMs: DAY_MS, dedupeWindowMs: 3 * DAY_MS });
    await log.append(delivery('a', T0));
    log.checkpoint(1);
    log.prune(T0 + 2 * DAY_MS);

    assert.deepEqual(await log.append(delivery('a')), { offset: 1, duplicate: true });
  });

  test('pruned id is forgotten after window', async () => {
    const log = new MemoryEventLog({ retentionMs: DAY_MS, dedupeWindowMs: 3 * DAY_MS });
    await log.append(delivery('a', T0));
    log.checkpoint(1);

    const removed = log.prune(T0 + 4 * DAY_MS);

    assert.deepEqual(removed, { deliveries: 1, deliveryIds: 1, processedResults: 0 });
    assert.deepEqual(await log.append(delivery('a')), { offset: 2, duplicate: false });
  });

  test('stored id outlives the window', async () => {
    const log = new MemoryEventLog({ dedupeWindowMs: DAY_MS });
    await log.append(delivery('a', T0));

    const removed = log.prune(T0 + 2 * DAY_MS);

    assert.equal(removed.deliveryIds, 0);
    assert.deepEqual(await log.append(delivery('a')), { offset: 1, duplicate: true });
  });

  test('closed log rejects calls', async () => {
    const log = new MemoryEventLog();
    let completed = false;
    log.appended$.subscribe({ complete: () => (completed = true) });

    await log.close();

    assert.equal(completed, true);
    await assert.rejects(log.append(delivery('a')), EventLogClosedError);
    assert.throws(() => log.readAfter(0, 1), EventLogClosedError);
  });
});
