import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Delivery } from '../../src/core/delivery.js';
import { MemoryEventLog } from '../../src/log/memory-event-log.js';
import { InFlightGate, tailLog } from '../../src/pipeline/tail-log.js';

const MIB = 1024 * 1024;

async function logWith(count: number, bodyBytes: number): Promise<MemoryEventLog> {
  const log = new MemoryEventLog();
  for (let i = 0; i < count; i++) {
    await log.append({ deliveryId: `d-${i}`, receivedAt: Date.now(), headers: {}, body: Buffer.alloc(bodyBytes, 0x20) });
  }
  return log;
}

describe('tailLog', () => {
  it('stops at the byte budget', async () => {
    const log = await logWith(10, MIB);
    const gate = new InFlightGate(1000, 3 * MIB);
    const seen: Delivery[] = [];
    const subscription = tailLog(log, { afterOffset: 0, gate }).subscribe((delivery) => seen.push(delivery));

    assert.equal(seen.length, 3);
    gate.release(seen[0]?.offset ?? 0);
    assert.equal(seen.length, 4);
    subscription.unsubscribe();
  });

  it('admits one delivery over the budget', async () => {
    const log = await logWith(2, 5 * MIB);
    const gate = new InFlightGate(1000, MIB);
    const seen: Delivery[] = [];
    const subscription = tailLog(log, { afterOffset: 0, gate }).subscribe((delivery) => seen.push(delivery));

    assert.equal(seen.length, 1);
    subscription.unsubscribe();
  });

  it('stops at the count bound', async () => {
    const log = await logWith(10, 10);
    const gate = new InFlightGate(4);
    const seen: Delivery[] = [];
    const subscription = tailLog(log, { afterOffset: 0, gate }).subscribe((delivery) => seen.push(delivery));

    assert.deepEqual(seen.map((delivery) => delivery.offset), [1, 2, 3, 4]);
    subscription.unsubscribe();
  });
});
