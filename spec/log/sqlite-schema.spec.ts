import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteEventLog } from '../../src/log/sqlite-event-log.js';
import { SCHEMA_VERSION } from '../../src/log/sqlite-schema.js';

function tempPath(t: TestContext): string {
  const directory = mkdtempSync(join(tmpdir(), 'schema-spec-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  return join(directory, 'events.db');
}

/** Turn the log file at `path` into a version 1 file: the tables version 2 added are dropped. */
function downgradeToVersion1(path: string): void {
  const database = new Database(path);
  database.exec('DROP TABLE written_entities; DROP TABLE processed_results;');
  database.pragma('user_version = 1');
  database.close();
}

function tables(path: string): string[] {
  const database = new Database(path, { readonly: true });
  const rows = database.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
  database.close();
  return rows.map((row) => row.name);
}

describe('sqlite schema', () => {
  test('new file gets current version', async (t) => {
    const path = tempPath(t);
    await SqliteEventLog.open(path).close();

    const database = new Database(path, { readonly: true });
    const version = database.pragma('user_version', { simple: true });
    database.close();

    assert.equal(version, SCHEMA_VERSION);
    assert.ok(tables(path).includes('written_entities'));
    assert.ok(tables(path).includes('processed_results'));
  });

  test('version 1 file is migrated on open', async (t) => {
    const path = tempPath(t);
    const first = SqliteEventLog.open(path, { groupCommitMs: 0 });
    await first.append({ deliveryId: 'a', receivedAt: 1, headers: {}, body: Buffer.from('{}') });
    first.checkpoint(1);
    await first.close();
    downgradeToVersion1(path);

    const log = SqliteEventLog.open(path);
    t.after(() => log.close());

    assert.deepEqual(log.readAfter(0, 10).map((delivery) => delivery.deliveryId), ['a']);
    assert.equal(log.lastCheckpoint(), 1);
    assert.ok(tables(path).includes('written_entities'));
    log.written.record({ resourceIndex: 0, jiraId: '1', blueprint: 'jiraProject', identifier: 'CAT' });
    assert.deepEqual(log.written.entitiesOf(0, '1'), [{ blueprint: 'jiraProject', identifier: 'CAT' }]);
  });
});
