import type { Statement } from 'better-sqlite3';
import type { EntityRef } from '../core/results.js';
import type { WrittenEntry, WrittenIndex } from '../pipeline/written-index.js';
import { PendingLogFileStore } from './log-file-store.js';
import type { ScheduleCommit } from './pending-writes.js';
import type { SqliteDatabase } from './sqlite-schema.js';

interface WrittenRow {
  readonly resource_index: number;
  readonly jira_id: string;
  readonly project_id: string | null;
  readonly updated: string | null;
  readonly blueprint: string;
  readonly identifier: string;
}

/** A change not yet committed: the entry recorded for a Jira object, or null when it was forgotten. */
interface PendingChange {
  readonly resourceIndex: number;
  readonly jiraId: string;
  readonly entry: WrittenEntry | null;
}

const COLUMNS = 'resource_index, jira_id, project_id, updated, blueprint, identifier';

/**
 * A `WrittenIndex` in the event log's file (table `written_entities`), so
 * that the stale-write guard, the deletion of a moved issue's old entity and
 * the deletion of a trashed project's issues still work after a restart.
 *
 * `record` and `forget` wait in memory and are committed with the log's next
 * group commit (see `PendingWrites`); reads see them at once. Reads go to
 * the file for everything else, so they also see what another process (the
 * `replay` and `dead-letters` commands) committed.
 *
 * Obtain it as `SqliteEventLog.written`.
 */
export class SqliteWrittenIndex extends PendingLogFileStore<string, PendingChange> implements WrittenIndex {
  readonly #statements: ReturnType<typeof prepareStatements>;

  /**
   * @param isOpen returns false once the owning log is closed.
   * @param schedule requests a group commit from the owning log.
   */
  constructor(database: SqliteDatabase, isOpen: () => boolean, schedule: ScheduleCommit) {
    super(isOpen, schedule);
    this.#statements = prepareStatements(database);
  }

  record(entry: WrittenEntry): void {
    this.assertOpen('record a written entity');
    this.stage(keyOf(entry.resourceIndex, entry.jiraId), { resourceIndex: entry.resourceIndex, jiraId: entry.jiraId, entry });
  }

  /** Forget every Jira object whose current entry is this entity. */
  forget(resourceIndex: number, ref: EntityRef): void {
    this.assertOpen('forget a written entity');

    const stored = this.#statements.selectByEntity.all(resourceIndex, ref.blueprint, ref.identifier) as WrittenRow[];
    const storedIds = stored.map((row) => row.jira_id).filter((jiraId) => !this.pending.has(keyOf(resourceIndex, jiraId)));
    const pendingIds = [...this.pending.values()]
      .filter((change) => change.resourceIndex === resourceIndex && change.entry !== null && sameEntity(change.entry, ref))
      .map((change) => change.jiraId);

    for (const jiraId of [...storedIds, ...pendingIds]) {
      this.stage(keyOf(resourceIndex, jiraId), { resourceIndex, jiraId, entry: null });
    }
  }

  lastUpdated(resourceIndex: number, jiraId: string): string | undefined {
    return this.#current(resourceIndex, jiraId)?.updated;
  }

  entitiesOf(resourceIndex: number, jiraId: string): EntityRef[] {
    const entry = this.#current(resourceIndex, jiraId);
    return entry === undefined ? [] : [{ blueprint: entry.blueprint, identifier: entry.identifier }];
  }

  issuesOfProject(resourceIndex: number, projectId: string): EntityRef[] {
    this.assertOpen('read written entities');

    const stored = (this.#statements.selectByProject.all(resourceIndex, projectId) as WrittenRow[])
      .filter((row) => !this.pending.has(keyOf(resourceIndex, row.jira_id)))
      .map(toEntry);
    const pending = [...this.pending.values()]
      .map((change) => change.entry)
      .filter((entry): entry is WrittenEntry => entry !== null && entry.resourceIndex === resourceIndex && entry.projectId === projectId);
    return [...stored, ...pending].map(({ blueprint, identifier }) => ({ blueprint, identifier }));
  }

  override writePending(): void {
    for (const change of this.pending.values()) {
      if (change.entry === null) {
        this.#statements.delete.run(change.resourceIndex, change.jiraId);
        continue;
      }
      const { entry } = change;
      this.#statements.upsert.run(entry.resourceIndex, entry.jiraId, entry.projectId ?? null, entry.updated ?? null, entry.blueprint, entry.identifier);
    }
  }


  /** The entry in force for a Jira object: the pending change if there is one, else the stored row. */
  #current(resourceIndex: number, jiraId: string): WrittenEntry | undefined {
    this.assertOpen('read written entities');

    const change = this.pending.get(keyOf(resourceIndex, jiraId));
    if (change !== undefined) return change.entry ?? undefined;

    const row = this.#statements.selectOne.get(resourceIndex, jiraId) as WrittenRow | undefined;
    return row === undefined ? undefined : toEntry(row);
  }
}

function prepareStatements(database: SqliteDatabase) {
  const prepare = (sql: string): Statement => database.prepare(sql);
  return {
    selectOne: prepare(`SELECT ${COLUMNS} FROM written_entities WHERE resource_index = ? AND jira_id = ?`),
    selectByEntity: prepare(`SELECT ${COLUMNS} FROM written_entities WHERE resource_index = ? AND blueprint = ? AND identifier = ?`),
    selectByProject: prepare(`SELECT ${COLUMNS} FROM written_entities WHERE resource_index = ? AND project_id = ?`),
    upsert: prepare(`INSERT OR REPLACE INTO written_entities (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`),
    delete: prepare('DELETE FROM written_entities WHERE resource_index = ? AND jira_id = ?'),
  };
}

function keyOf(resourceIndex: number, jiraId: string): string {
  return `${resourceIndex}:${jiraId}`;
}

function sameEntity(entry: WrittenEntry, ref: EntityRef): boolean {
  return entry.blueprint === ref.blueprint && entry.identifier === ref.identifier;
}

function toEntry(row: WrittenRow): WrittenEntry {
  return {
    resourceIndex: row.resource_index,
    jiraId: row.jira_id,
    blueprint: row.blueprint,
    identifier: row.identifier,
    ...(row.project_id === null ? {} : { projectId: row.project_id }),
    ...(row.updated === null ? {} : { updated: row.updated }),
  };
}
