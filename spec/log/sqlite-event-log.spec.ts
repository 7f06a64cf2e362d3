import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import type { IncomingDelivery } from '../../src/core/delivery.js';
import {
  CheckpointRangeError,
  EventLogClosedError,
  EventLogOpenError,
  InvalidDeliveryError,
  InvalidLogOptionError,
} from '../../src/log/errors.js';
import { SqliteEventLog, type SqliteEventLogOptions } from '../../src/log/sqlite-event-log.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);

/** Create a directory for one test and remove it when the test ends. */
function tempDirectory(t: TestContext): string {
  const directory = mkdtempSync(join(tmpdir(), 'event-log-spec-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** Open a log and close it when the test ends (closing twice is a no-op). */
function openLog(t: TestContext, path: string, options: SqliteEventLogOptions = {}): SqliteEventLog {
  const log = SqliteEventLog.open(path, options);
  t.after(() => log.close());
  return log;
}

function delivery(deliveryId: string, receivedAt = T0, body = `{"webhookEvent":"jira:issue_updated","n":"${deliveryId}"}`): IncomingDelivery {
  return {
    deliveryId,
    receivedAt,
    headers: { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': deliveryId },
    body: Buffer.from(body),
  };
}

/** Create a log at `path` with `count` deliveries and close it. */
async function writeLog(path: string, count: number): Promise<void> {
  const log = SqliteEventLog.open(path);
  const body = 'x'.repeat(2000);
  await Promise.all(Array.from({ length: count }, (_, index) => log.append(delivery(`id-${index}`, T0, body))));
  await log.close();
}

describe('sqlite event log', () => {
  test('append assigns increasing offsets', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));

    const first = await log.append(delivery('a'));
    const second = await log.append(delivery('b'));

    assert.deepEqual(first, { offset: 1, duplicate: false });
    assert.deepEqual(second, { offset: 2, duplicate: false });
    assert.equal(log.headOffset(), 2);
  });

  test('readAfter returns stored deliveries', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));
    const sent = delivery('a');
    await log.append(sent);
    await log.append(delivery('b'));
    await log.append(delivery('c'));

    const all = log.readAfter(0, 10);
    const page = log.readAfter(1, 1);

    assert.deepEqual(all.map((stored) => stored.offset), [1, 2, 3]);
    assert.deepEqual(all[0], { ...sent, offset: 1 });
    assert.deepEqual(page.map((stored) => stored.deliveryId), ['b']);
    assert.deepEqual(log.readAfter(3, 10), []);
  });

  test('readAfter rejects zero limit', (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));

    assert.throws(() => log.readAfter(0, 0), RangeError);
  });

  test('append rejects invalid delivery', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));

    await assert.rejects(log.append({ ...delivery('a'), deliveryId: '' }), InvalidDeliveryError);
    await assert.rejects(log.append({ ...delivery('a'), body: 'text' as unknown as Buffer }), /"body"/);
  });

  test('invalid delivery leaves its group intact', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));
    const badHeaders = { ...delivery('bad'), headers: { 'x-count': 1 as unknown as string } };

    const results = await Promise.allSettled([log.append(delivery('a')), log.append(badHeaders), log.append(delivery('b'))]);

    assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal(log.headOffset(), 2);
  });

  test('same id twice stores one copy', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));

    await log.append(delivery('a'));
    const copy = await log.append(delivery('a'));

    assert.deepEqual(copy, { offset: 1, duplicate: true });
    assert.equal(log.readAfter(0, 10).length, 1);
    assert.equal(log.stats().duplicates, 1);
  });

  test('same id in one group stores one copy', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));

    const results = await Promise.all([log.append(delivery('a')), log.append(delivery('a'))]);

    assert.deepEqual(results, [
      { offset: 1, duplicate: false },
      { offset: 1, duplicate: true },
    ]);
  });

  test('deliveries and checkpoint survive reopen', async (t) => {
    const path = join(tempDirectory(t), 'events.db');
    const first = SqliteEventLog.open(path);
    await first.append(delivery('a'));
    await first.append(delivery('b'));
    first.checkpoint(1);
    await first.close();

    const reopened = openLog(t, path);

    assert.equal(reopened.headOffset(), 2);
    assert.equal(reopened.lastCheckpoint(), 1);
    assert.deepEqual(reopened.readAfter(reopened.lastCheckpoint(), 10).map((stored) => stored.deliveryId), ['b']);
  });

  test('dedupe survives reopen', async (t) => {
    const path = join(tempDirectory(t), 'events.db');
    const first = SqliteEventLog.open(path);
    await first.append(delivery('a'));
    await first.close();

    const reopened = openLog(t, path);
    const copy = await reopened.append(delivery('a'));

    assert.deepEqual(copy, { offset: 1, duplicate: true });
    assert.equal(reopened.headOffset(), 1);
  });

  test('append is committed before it resolves', async (t) => {
    const path = join(tempDirectory(t), 'events.db');
    const writer = openLog(t, path);
    await writer.append(delivery('a'));

    // A second connection reads only committed rows, as a process restarted after a crash would.
    const reader = openLog(t, path);

    assert.deepEqual(reader.readAfter(0, 10).map((stored) => stored.deliveryId), ['a']);
  });

  test('checkpoint is written by the next group commit', async (t) => {
    const path = join(tempDirectory(t), 'events.db');
    const writer = openLog(t, path, { groupCommitMs: 0 });
    await writer.append(delivery('a'));
    writer.checkpoint(1);
    await writer.append(delivery('b'));

    const reader = openLog(t, path);

    assert.equal(reader.lastCheckpoint(), 1);
  });

  test('group commit shares transactions', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));

    const results = await Promise.all(Array.from({ length: 1000 }, (_, index) => log.append(delivery(`id-${index}`))));

    const stats = log.stats();
    assert.equal(results.filter((result) => !result.duplicate).length, 1000);
    assert.equal(stats.appended, 1000);
    assert.ok(stats.transactions <= 5, `expected at most 5 transactions, got ${stats.transactions}`);
    assert.deepEqual(
      log.readAfter(0, 1000).map((stored) => stored.offset),
      Array.from({ length: 1000 }, (_, index) => index + 1),
    );
  });

  test('appended$ emits head after commit', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));
    const heads: number[] = [];
    const readable: number[] = [];
    log.appended$.subscribe((head) => {
      heads.push(head);
      readable.push(log.readAfter(head - 1, 1).length);
    });

    await Promise.all([log.append(delivery('a')), log.append(delivery('b'))]);
    await log.append(delivery('a'));

    assert.deepEqual(heads, [2]);
    assert.deepEqual(readable, [1]);
  });

  test('appended$ completes on close', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));
    let completed = false;
    log.appended$.subscribe({ complete: () => (completed = true) });

    await log.close();

    assert.equal(completed, true);
  });

  test('close commits pending appends', async (t) => {
    const path = join(tempDirectory(t), 'events.db');
    const log = SqliteEventLog.open(path, { groupCommitMs: 60_000 });

    const pending = log.append(delivery('a'));
    await log.close();

    assert.deepEqual(await pending, { offset: 1, duplicate: false });
    const reopened = openLog(t, path);
    assert.equal(reopened.headOffset(), 1);
  });

  test('closed log rejects calls', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));
    await log.close();

    await assert.rejects(log.append(delivery('a')), EventLogClosedError);
    assert.throws(() => log.readAfter(0, 1), EventLogClosedError);
    assert.throws(() => log.checkpoint(0), EventLogClosedError);
    assert.throws(() => log.deadLetters.count(), EventLogClosedError);
  });

  test('checkpoint beyond head throws', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));
    await log.append(delivery('a'));

    assert.throws(() => log.checkpoint(2), CheckpointRangeError);
    assert.throws(() => log.checkpoint(-1), CheckpointRangeError);
    assert.throws(() => log.checkpoint(0.5), CheckpointRangeError);
  });

  test('checkpoint never moves backwards', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'));
    await log.append(delivery('a'));
    await log.append(delivery('b'));

    log.checkpoint(2);
    log.checkpoint(1);

    assert.equal(log.lastCheckpoint(), 2);
  });

  test('prune removes old checkpointed deliveries', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'), { retentionMs: DAY_MS, dedupeWindowMs: 3 * DAY_MS });
    await log.append(delivery('old-done', T0));
    await log.append(delivery('old-pending', T0));
    await log.append(delivery('new-done', T0 + 2 * DAY_MS));
    log.checkpoint(1);

    const removed = log.prune(T0 + 2 * DAY_MS);

    assert.deepEqual(removed, { deliveries: 1, deliveryIds: 0, processedResults: 0 });
    assert.deepEqual(log.readAfter(0, 10).map((stored) => stored.deliveryId), ['old-pending', 'new-done']);
  });

  test('prune keeps dead-lettered deliveries', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'), { retentionMs: DAY_MS });
    await log.append(delivery('failed', T0));
    await log.append(delivery('done', T0));
    log.checkpoint(2);
    log.deadLetters.add({
      deliveryId: 'failed',
      offset: 1,
      webhookEvent: 'jira:issue_updated',
      processor: 'issue',
      kind: 'issue',
      resourceIndex: 0,
      error: 'Port answered 500',
      attempts: 3,
      firstFailedAt: T0,
      lastFailedAt: T0,
    });

    log.prune(T0 + 2 * DAY_MS);

    assert.deepEqual(log.readAfter(0, 10).map((stored) => stored.deliveryId), ['failed']);
  });

  test('pruned id dedupes within window', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'), { retentionMs: DAY_MS, dedupeWindowMs: 3 * DAY_MS });
    await log.append(delivery('a', T0));
    log.checkpoint(1);
    log.prune(T0 + 2 * DAY_MS);

    const copy = await log.append(delivery('a', T0 + 2 * DAY_MS));

    assert.deepEqual(copy, { offset: 1, duplicate: true });
    assert.deepEqual(log.readAfter(0, 10), []);
  });

  test('pruned id is forgotten after window', async (t) => {
    const log = openLog(t, join(tempDirectory(t), 'events.db'), { retentionMs: DAY_MS, dedupeWindowMs: 3 * DAY_MS });
    await log.append(delivery('a', T0));
    log.checkpoint(1);

    const removed = log.prune(T0 + 4 * DAY_MS);
    const again = await log.append(delivery('a', T0 + 4 * DAY_MS));

    assert.deepEqual(removed, { deliveries: 1, deliveryIds: 1, processedResults: 0 });
    assert.deepEqual(again, { offset: 2, duplicate: false });
  });

  test('offsets are not reused after prune', async (t) => {
    const path = join(tempDirectory(t), 'events.db');
    const first = SqliteEventLog.open(path, { retentionMs: 0 });
    await first.append(delivery('a', T0));
    await first.append(delivery('b', T0));
    first.checkpoint(2);
    first.prune(T0 + 1);
    await first.close();

    const reopened = openLog(t, path, { retentionMs: 0 });
    const next = await reopened.append(delivery('c', T0 + 2));

    assert.equal(reopened.lastCheckpoint(), 2);
    assert.deepEqual(next, { offset: 3, duplicate: false });
  });

  test('open creates parent directory', (t) => {
    const path = join(tempDirectory(t), 'nested', 'deeper', 'events.db');

    openLog(t, path);

    assert.ok(statSync(path).isFile());
  });

  test('open accepts an empty file', (t) => {
    const path = join(tempDirectory(t), 'events.db');
    writeFileSync(path, '');

    const log = openLog(t, path);

    assert.equal(log.headOffset(), 0);
  });

  test('open rejects a file that is not SQLite', (t) => {
    const path = join(tempDirectory(t), 'events.db');
    writeFileSync(path, 'this is not a database '.repeat(200));

    assert.throws(
      () => SqliteEventLog.open(path),
      (error: unknown) =>
        error instanceof EventLogOpenError && error.message.includes(path) && /move the file away/.test(error.message),
    );
  });

  test('open rejects a truncated file', async (t) => {
    const path = join(tempDirectory(t), 'events.db');
    await writeLog(path, 500);
    truncateSync(path, Math.floor(statSync(path).size / 2));

    assert.throws(() => SqliteEventLog.open(path), EventLogOpenError);
  });

  test('open rejects a file missing its tail', async (t) => {
    const path = join(tempDirectory(t), 'events.db');
    await writeLog(path, 500);
    truncateSync(path, statSync(path).size - 3 * 4096);

    assert.throws(() => SqliteEventLog.open(path), EventLogOpenError);
  });

  test('open rejects overwritten pages', async (t) => {
    const path = join(tempDirectory(t), 'events.db');
    await writeLog(path, 500);
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 4096 * 3, 4096 * 6);
    writeFileSync(path, bytes);

    assert.throws(() => SqliteEventLog.open(path), EventLogOpenError);
  });

  test('open rejects unknown schema version', async (t) => {
    const path = join(tempDirectory(t), 'events.db');
    await writeLog(path, 1);
    const database = new Database(path);
    database.pragma('user_version = 99');
    database.close();

    assert.throws(
      () => SqliteEventLog.open(path),
      (error: unknown) => error instanceof EventLogOpenError && /schema version 99/.test(error.message),
    );
  });

  test('open rejects another program database', (t) => {
    const path = join(tempDirectory(t), 'events.db');
    const database = new Database(path);
    database.exec('CREATE TABLE notes (text TEXT)');
    database.close();

    assert.throws(
      () => SqliteEventLog.open(path),
      (error: unknown) => error instanceof EventLogOpenError && /another program/.test(error.message),
    );
  });

  test('open rejects a directory path', (t) => {
    const directory = tempDirectory(t);

    assert.throws(() => SqliteEventLog.open(directory), EventLogOpenError);
  });

  test('open rejects negative groupCommitMs', (t) => {
    const path = join(tempDirectory(t), 'events.db');

    assert.throws(() => SqliteEventLog.open(path, { groupCommitMs: -1 }), InvalidLogOptionError);
  });
});
