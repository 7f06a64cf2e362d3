import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { MemoryDeadLetterStore, type DeadLetterStore, type NewDeadLetter } from '../../src/log/dead-letters.js';
import { DeadLetterNotFoundError } from '../../src/log/errors.js';
import { SqliteEventLog } from '../../src/log/sqlite-event-log.js';

const T0 = Date.UTC(2026, 0, 1);
const REDRIVEN_AT = T0 + 60_000;

const FAILED_ISSUE: NewDeadLetter = {
  deliveryId: '75d1c0d6-7a04-4c59-9c40-8e8a2f0b1c3d',
  offset: 7,
  webhookEvent: 'jira:issue_updated',
  processor: 'issue',
  kind: 'issue',
  resourceIndex: 0,
  entityId: '10001',
  error: 'Port bulk upsert failed with 500',
  attempts: 5,
  firstFailedAt: T0,
  lastFailedAt: T0 + 30_000,
};

const FAILED_PROJECT: NewDeadLetter = {
  deliveryId: 'sha256:0f3c',
  offset: 9,
  webhookEvent: null,
  processor: 'project',
  kind: 'project',
  resourceIndex: 1,
  error: 'Jira project fetch timed out',
  attempts: 3,
  firstFailedAt: T0,
  lastFailedAt: T0,
};

/** `FAILED_ISSUE` for the delivery at another offset, so that it is another unit of work. */
function failedIssueAt(offset: number): NewDeadLetter {
  return { ...FAILED_ISSUE, offset };
}

function tempPath(t: TestContext): string {
  const directory = mkdtempSync(join(tmpdir(), 'dead-letters-spec-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  return join(directory, 'events.db');
}

/** Each store under test, created fresh for one test. */
const stores: Array<{ name: string; create: (t: TestContext) => DeadLetterStore }> = [
  { name: 'memory', create: () => new MemoryDeadLetterStore(() => REDRIVEN_AT) },
  {
    name: 'sqlite',
    create: (t) => {
      const log = SqliteEventLog.open(tempPath(t), { now: () => REDRIVEN_AT });
      t.after(() => log.close());
      return log.deadLetters;
    },
  },
];

for (const { name, create } of stores) {
  describe(`${name} dead-letter store`, () => {
    test('add then get returns entry', (t) => {
      const store = create(t);

      const id = store.add(FAILED_ISSUE);

      assert.deepEqual(store.get(id), { ...FAILED_ISSUE, id, redrivenAt: null });
    });

    test('entry without entityId round-trips', (t) => {
      const store = create(t);

      const id = store.add(FAILED_PROJECT);

      assert.deepEqual(store.get(id), { ...FAILED_PROJECT, id, redrivenAt: null });
    });

    test('get unknown id returns undefined', (t) => {
      assert.equal(create(t).get(42), undefined);
    });

    test('list returns waiting entries in id order', (t) => {
      const store = create(t);
      const first = store.add(FAILED_ISSUE);
      const second = store.add(FAILED_PROJECT);

      assert.deepEqual(store.list().map((entry) => entry.id), [first, second]);
    });

    test('list filters by processor', (t) => {
      const store = create(t);
      store.add(FAILED_ISSUE);
      const project = store.add(FAILED_PROJECT);

      assert.deepEqual(store.list({ processor: 'project' }).map((entry) => entry.id), [project]);
    });

    test('list pages with afterId and limit', (t) => {
      const store = create(t);
      const ids = [store.add(failedIssueAt(7)), store.add(failedIssueAt(8)), store.add(failedIssueAt(9))];

      assert.deepEqual(store.list({ afterId: ids[0], limit: 1 }).map((entry) => entry.id), [ids[1]]);
    });

    test('markRedriven hides entry from default list', (t) => {
      const store = create(t);
      const id = store.add(FAILED_ISSUE);

      store.markRedriven(id);

      assert.equal(store.get(id)?.redrivenAt, REDRIVEN_AT);
      assert.deepEqual(store.list(), []);
      assert.equal(store.list({ includeRedriven: true }).length, 1);
      assert.equal(store.count(), 0);
    });

    test('markRedriven unknown id throws', (t) => {
      assert.throws(() => create(t).markRedriven(42), DeadLetterNotFoundError);
    });

    test('drop removes entry', (t) => {
      const store = create(t);
      const id = store.add(FAILED_ISSUE);

      assert.equal(store.drop(id), true);
      assert.equal(store.drop(id), false);
      assert.equal(store.get(id), undefined);
    });

    test('count counts waiting entries', (t) => {
      const store = create(t);
      store.add(FAILED_ISSUE);
      store.add(FAILED_PROJECT);

      assert.equal(store.count(), 2);
    });

    test('same waiting work updates one entry', (t) => {
      const store = create(t);
      const first = store.add(FAILED_ISSUE);

      const second = store.add({ ...FAILED_ISSUE, error: 'Port rejected it again', attempts: 1, lastFailedAt: T0 + 90_000 });

      assert.equal(second, first);
      assert.equal(store.count(), 1);
      assert.deepEqual(store.get(first), {
        ...FAILED_ISSUE,
        id: first,
        error: 'Port rejected it again',
        attempts: FAILED_ISSUE.attempts + 1,
        lastFailedAt: T0 + 90_000,
        redrivenAt: null,
      });
    });

    test('other resource config is new entry', (t) => {
      const store = create(t);
      const first = store.add(FAILED_ISSUE);

      const second = store.add({ ...FAILED_ISSUE, resourceIndex: 3 });

      assert.notEqual(second, first);
      assert.equal(store.count(), 2);
    });

    test('same work after redrive is new entry', (t) => {
      const store = create(t);
      const first = store.add(FAILED_ISSUE);
      store.markRedriven(first);

      const second = store.add(FAILED_ISSUE);

      assert.notEqual(second, first);
      assert.equal(store.get(first)?.attempts, FAILED_ISSUE.attempts);
    });

    test('waitingAt lists one delivery', (t) => {
      const store = create(t);
      const first = store.add(FAILED_ISSUE);
      const other = store.add({ ...FAILED_ISSUE, resourceIndex: 3 });
      store.add(failedIssueAt(8));
      const redriven = store.add({ ...FAILED_ISSUE, processor: 'comment' });
      store.markRedriven(redriven);

      assert.deepEqual(store.waitingAt(7).map((entry) => entry.id), [first, other]);
      assert.deepEqual(store.waitingAt(99), []);
    });

    test('recordFailedAttempt adds one attempt', (t) => {
      const store = create(t);
      const id = store.add(FAILED_PROJECT);

      store.recordFailedAttempt(id, 'Jira project fetch failed with 503', T0 + 120_000);

      const entry = store.get(id);
      assert.equal(entry?.attempts, FAILED_PROJECT.attempts + 1);
      assert.equal(entry?.error, 'Jira project fetch failed with 503');
      assert.equal(entry?.lastFailedAt, T0 + 120_000);
      assert.equal(entry?.firstFailedAt, FAILED_PROJECT.firstFailedAt);
    });

    test('recordFailedAttempt unknown id throws', (t) => {
      assert.throws(() => create(t).recordFailedAttempt(42, 'failed', T0), DeadLetterNotFoundError);
    });

    test('ids are not reused after drop', (t) => {
      const store = create(t);
      const first = store.add(FAILED_ISSUE);
      store.drop(first);

      assert.ok(store.add(FAILED_ISSUE) > first);
    });
  });
}

describe('sqlite dead-letter store', () => {
  test('entries survive reopen', async (t) => {
    const path = tempPath(t);
    const first = SqliteEventLog.open(path, { now: () => REDRIVEN_AT });
    const redriven = first.deadLetters.add(FAILED_ISSUE);
    const dropped = first.deadLetters.add(failedIssueAt(8));
    const waiting = first.deadLetters.add(FAILED_PROJECT);
    first.deadLetters.markRedriven(redriven);
    first.deadLetters.drop(dropped);
    await first.close();

    const reopened = SqliteEventLog.open(path);
    t.after(() => reopened.close());
    const store = reopened.deadLetters;

    assert.deepEqual(store.list().map((entry) => entry.id), [waiting]);
    assert.equal(store.get(redriven)?.redrivenAt, REDRIVEN_AT);
    assert.equal(store.get(dropped), undefined);
    assert.deepEqual(store.get(waiting), { ...FAILED_PROJECT, id: waiting, redrivenAt: null });
    assert.equal(store.count(), 1);
  });
});
