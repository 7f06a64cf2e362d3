import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { EventLogClosedError } from '../../src/log/errors.js';
import { SqliteEventLog } from '../../src/log/sqlite-event-log.js';
import type { WrittenEntry } from '../../src/pipeline/written-index.js';

const ISSUE_1: WrittenEntry = {
  resourceIndex: 1,
  jiraId: '10001',
  projectId: '100',
  updated: '2026-12-04T13:00:00.000+0000',
  blueprint: 'jiraIssue',
  identifier: 'CAT-1',
};
const ISSUE_2: WrittenEntry = { ...ISSUE_1, jiraId: '10002', identifier: 'CAT-2', updated: '2026-12-04T14:00:00.000+0000' };
const PROJECT: WrittenEntry = { resourceIndex: 0, jiraId: '100', blueprint: 'jiraProject', identifier: 'CAT' };

function tempPath(t: TestContext): string {
  const directory = mkdtempSync(join(tmpdir(), 'written-index-spec-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  return join(directory, 'events.db');
}

function openLog(t: TestContext, path: string): SqliteEventLog {
  const log = SqliteEventLog.open(path, { groupCommitMs: 60_000 });
  t.after(() => log.close());
  return log;
}

/** Close the log at `path` and open it again, as a restart does. */
async function reopen(t: TestContext, log: SqliteEventLog): Promise<SqliteEventLog> {
  await log.close();
  return openLog(t, log.path);
}

describe('sqlite written index', () => {
  test('entries survive reopen', async (t) => {
    const first = openLog(t, tempPath(t));
    first.written.record(ISSUE_1);
    first.written.record(PROJECT);

    const index = (await reopen(t, first)).written;

    assert.equal(index.lastUpdated(1, '10001'), ISSUE_1.updated);
    assert.deepEqual(index.entitiesOf(1, '10001'), [{ blueprint: 'jiraIssue', identifier: 'CAT-1' }]);
    assert.deepEqual(index.entitiesOf(0, '100'), [{ blueprint: 'jiraProject', identifier: 'CAT' }]);
    assert.equal(index.lastUpdated(0, '100'), undefined);
  });

  test('pending record is readable', (t) => {
    const index = openLog(t, tempPath(t)).written;

    index.record(ISSUE_1);

    assert.equal(index.hasPending(), true);
    assert.equal(index.lastUpdated(1, '10001'), ISSUE_1.updated);
    assert.deepEqual(index.issuesOfProject(1, '100'), [{ blueprint: 'jiraIssue', identifier: 'CAT-1' }]);
  });

  test('group commit writes pending entries', async (t) => {
    const log = SqliteEventLog.open(tempPath(t), { groupCommitMs: 1 });
    t.after(() => log.close());
    log.written.record(ISSUE_1);

    await new Promise((resolve) => setTimeout(resolve, 20));

    assert.equal(log.written.hasPending(), false);
    assert.equal(log.written.lastUpdated(1, '10001'), ISSUE_1.updated);
  });

  test('other connection sees committed entries', async (t) => {
    const path = tempPath(t);
    const writer = openLog(t, path);
    writer.written.record(ISSUE_1);
    await reopen(t, writer);

    const reader = openLog(t, path);

    assert.deepEqual(reader.written.entitiesOf(1, '10001'), [{ blueprint: 'jiraIssue', identifier: 'CAT-1' }]);
  });

  test('issuesOfProject merges stored and pending', async (t) => {
    const first = openLog(t, tempPath(t));
    first.written.record(ISSUE_1);
    const index = (await reopen(t, first)).written;

    index.record(ISSUE_2);

    assert.deepEqual(
      index.issuesOfProject(1, '100').map((ref) => ref.identifier).sort(),
      ['CAT-1', 'CAT-2'],
    );
    assert.deepEqual(index.issuesOfProject(2, '100'), []);
  });

  test('moved issue leaves old project', async (t) => {
    const first = openLog(t, tempPath(t));
    first.written.record(ISSUE_1);
    const index = (await reopen(t, first)).written;

    index.record({ ...ISSUE_1, projectId: '200', identifier: 'NEW-1' });

    assert.deepEqual(index.issuesOfProject(1, '100'), []);
    assert.deepEqual(index.issuesOfProject(1, '200'), [{ blueprint: 'jiraIssue', identifier: 'NEW-1' }]);
  });

  test('forget removes stored entry', async (t) => {
    const first = openLog(t, tempPath(t));
    first.written.record(ISSUE_1);
    first.written.record(ISSUE_2);
    const second = await reopen(t, first);

    second.written.forget(1, { blueprint: 'jiraIssue', identifier: 'CAT-1' });
    const index = (await reopen(t, second)).written;

    assert.deepEqual(index.entitiesOf(1, '10001'), []);
    assert.deepEqual(index.issuesOfProject(1, '100'), [{ blueprint: 'jiraIssue', identifier: 'CAT-2' }]);
  });

  test('forget removes pending entry', (t) => {
    const index = openLog(t, tempPath(t)).written;
    index.record(ISSUE_1);

    index.forget(1, { blueprint: 'jiraIssue', identifier: 'CAT-1' });

    assert.equal(index.lastUpdated(1, '10001'), undefined);
    assert.deepEqual(index.issuesOfProject(1, '100'), []);
  });

  test('forget keeps a re-recorded object', async (t) => {
    const first = openLog(t, tempPath(t));
    first.written.record(ISSUE_1);
    const index = (await reopen(t, first)).written;
    index.record({ ...ISSUE_1, identifier: 'CAT-1-RENAMED' });

    index.forget(1, { blueprint: 'jiraIssue', identifier: 'CAT-1' });

    assert.deepEqual(index.entitiesOf(1, '10001'), [{ blueprint: 'jiraIssue', identifier: 'CAT-1-RENAMED' }]);
  });

  test('forget of another resource config is no-op', (t) => {
    const index = openLog(t, tempPath(t)).written;
    index.record(ISSUE_1);

    index.forget(0, { blueprint: 'jiraIssue', identifier: 'CAT-1' });

    assert.equal(index.lastUpdated(1, '10001'), ISSUE_1.updated);
  });

  test('closed log rejects calls', async (t) => {
    const log = openLog(t, tempPath(t));
    await log.close();

    assert.throws(() => log.written.record(ISSUE_1), EventLogClosedError);
    assert.throws(() => log.written.entitiesOf(1, '10001'), EventLogClosedError);
  });
});
