import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import type { Outcome, ProcessedResult } from '../../src/core/results.js';
import { EventLogClosedError } from '../../src/log/errors.js';
import { SqliteEventLog } from '../../src/log/sqlite-event-log.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);

function result(offset: number, outcome: Outcome = 'upserted', receivedAt = T0): ProcessedResult {
  return {
    offset,
    deliveryId: `delivery-${offset}`,
    webhookEvent: 'jira:issue_updated',
    processors: ['issue'],
    kinds: ['issue'],
    outcome,
    upserted: outcome === 'upserted' ? [{ blueprint: 'jiraIssue', identifier: `CAT-${offset}` }] : [],
    deleted: [],
    work: [],
    timings: { receivedAt, startedAt: receivedAt + 1, finishedAt: receivedAt + 2 },
  };
}

function tempPath(t: TestContext): string {
  const directory = mkdtempSync(join(tmpdir(), 'result-history-spec-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  return join(directory, 'events.db');
}

function openLog(t: TestContext, path: string, options: { retentionMs?: number } = {}): SqliteEventLog {
  const log = SqliteEventLog.open(path, { groupCommitMs: 60_000, ...options });
  t.after(() => log.close());
  return log;
}

describe('sqlite result history', () => {
  test('results survive reopen', async (t) => {
    const path = tempPath(t);
    const first = openLog(t, path);
    first.results.record(result(1));
    first.results.record(result(2, 'dead-lettered'));
    await first.close();

    const history = openLog(t, path).results;

    assert.deepEqual(history.after(0, 10), [result(1), result(2, 'dead-lettered')]);
    assert.equal(history.oldestOffset(), 1);
  });

  test('after merges stored and pending', async (t) => {
    const path = tempPath(t);
    const first = openLog(t, path);
    first.results.record(result(1));
    first.results.record(result(3));
    await first.close();
    const history = openLog(t, path).results;

    history.record(result(2));
    history.record(result(4));

    assert.deepEqual(history.after(1, 2).map((each) => each.offset), [2, 3]);
    assert.deepEqual(history.after(0, 10).map((each) => each.offset), [1, 2, 3, 4]);
  });

  test('same offset replaces result', async (t) => {
    const path = tempPath(t);
    const first = openLog(t, path);
    first.results.record(result(1, 'dead-lettered'));
    await first.close();
    const history = openLog(t, path).results;

    history.record(result(1, 'upserted'));

    assert.deepEqual(history.after(0, 10).map((each) => each.outcome), ['upserted']);
  });

  test('record stores only projected fields', (t) => {
    const history = openLog(t, tempPath(t)).results;

    history.record({ ...result(1), payload: { secret: 'x' } } as ProcessedResult);

    assert.deepEqual(history.after(0, 1), [result(1)]);
  });

  test('empty history has no oldest offset', (t) => {
    const history = openLog(t, tempPath(t)).results;

    assert.equal(history.oldestOffset(), undefined);
    assert.deepEqual(history.after(0, 10), []);
  });

  test('forDelivery finds a result', async (t) => {
    const path = tempPath(t);
    const first = openLog(t, path);
    first.results.record(result(1));
    await first.close();
    const history = openLog(t, path).results;
    history.record(result(2));

    assert.equal(history.forDelivery('delivery-1')?.offset, 1);
    assert.equal(history.forDelivery('delivery-2')?.offset, 2);
    assert.equal(history.forDelivery('delivery-9'), undefined);
  });

  test('countByOutcome counts dead letters', async (t) => {
    const path = tempPath(t);
    const first = openLog(t, path);
    first.results.record(result(1, 'dead-lettered'));
    first.results.record(result(2, 'dead-lettered'));
    first.results.record(result(3, 'ignored'));
    await first.close();
    const history = openLog(t, path).results;

    history.record(result(2, 'upserted'));

    const counts = history.countByOutcome();
    assert.equal(counts['dead-lettered'], 1);
    assert.equal(counts.upserted, 1);
    assert.equal(counts.ignored, 1);
  });

  test('prune removes results past retention', async (t) => {
    const log = openLog(t, tempPath(t), { retentionMs: DAY_MS });
    log.results.record(result(1, 'upserted', T0));
    log.results.record(result(2, 'upserted', T0 + 2 * DAY_MS));

    const removed = log.prune(T0 + 2 * DAY_MS);

    assert.equal(removed.processedResults, 1);
    assert.deepEqual(log.results.after(0, 10).map((each) => each.offset), [2]);
  });

  test('closed log rejects calls', async (t) => {
    const log = openLog(t, tempPath(t));
    await log.close();

    assert.throws(() => log.results.record(result(1)), EventLogClosedError);
    assert.throws(() => log.results.after(0, 1), EventLogClosedError);
  });
});
