import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, test, type TestContext } from 'node:test';
import { createLogger } from '../../src/core/logger.js';
import { startRetentionTimer } from '../../src/log/retention-timer.js';
import { SqliteEventLog } from '../../src/log/sqlite-event-log.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);

/** Create a logger whose JSON lines are collected in `lines`. */
function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

async function logWithOldDelivery(t: TestContext): Promise<SqliteEventLog> {
  const directory = mkdtempSync(join(tmpdir(), 'retention-spec-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  const log = SqliteEventLog.open(join(directory, 'events.db'), { groupCommitMs: 0, retentionMs: DAY_MS, dedupeWindowMs: DAY_MS });
  t.after(() => log.close());
  await log.append({ deliveryId: 'old', receivedAt: T0, headers: {}, body: Buffer.from('{}') });
  log.checkpoint(1);
  return log;
}

describe('retention timer', () => {
  test('prunes at start', async (t) => {
    const log = await logWithOldDelivery(t);
    const { logger, lines } = capturingLogger();

    const timer = startRetentionTimer(log, { logger, now: () => T0 + 2 * DAY_MS });
    timer.stop();

    assert.deepEqual(log.readAfter(0, 10), []);
    const pruned = lines.find((line) => line['msg'] === 'event log pruned');
    assert.deepEqual(pruned?.['removed'], { deliveries: 1, deliveryIds: 1, processedResults: 0 });
  });

  test('prunes again each interval', async (t) => {
    const log = await logWithOldDelivery(t);
    const { logger } = capturingLogger();
    let now = T0;

    const timer = startRetentionTimer(log, { logger, intervalMs: 5, now: () => now });
    t.after(() => timer.stop());
    assert.equal(log.readAfter(0, 10).length, 1);
    now = T0 + 2 * DAY_MS;
    await new Promise((resolve) => setTimeout(resolve, 30));

    assert.deepEqual(log.readAfter(0, 10), []);
  });

  test('failed prune is logged', async (t) => {
    const log = await logWithOldDelivery(t);
    await log.close();
    const { logger, lines } = capturingLogger();

    const timer = startRetentionTimer(log, { logger });
    timer.stop();

    const failure = lines.find((line) => line['level'] === 50);
    assert.match(String(failure?.['msg']), /pruning the event log failed/);
    assert.equal((failure?.['err'] as { type?: string } | undefined)?.type, 'EventLogClosedError');
  });

  test('invalid interval throws', async (t) => {
    const log = await logWithOldDelivery(t);

    assert.throws(() => startRetentionTimer(log, { logger: capturingLogger().logger, intervalMs: 0 }), RangeError);
  });
});
