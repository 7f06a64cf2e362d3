import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EventLogOpenError } from './errors.js';

export type SqliteDatabase = Database.Database;

/**
 * Version stored in `PRAGMA user_version`. A file of an older version is
 * migrated on open (see `MIGRATIONS`); a file of a newer one is not opened.
 */
export const SCHEMA_VERSION = 2;

/** Stored in `PRAGMA application_id` to tell an event log from another program's database ("JPSL"). */
export const APPLICATION_ID = 0x4a50534c;

const TABLES = ['deliveries', 'delivery_ids', 'checkpoint', 'dead_letters', 'written_entities', 'processed_results'] as const;

/*
 * `offset` is quoted because OFFSET is an SQL keyword. AUTOINCREMENT keeps
 * SQLite from reusing the offset of a pruned delivery: without it, pruning
 * every row would restart offsets at 1, below the checkpoint, and readers
 * would never see the new deliveries.
 */
const VERSION_1_SQL = `
  CREATE TABLE deliveries (
    "offset" INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT NOT NULL UNIQUE,
    received_at INTEGER NOT NULL,
    headers TEXT NOT NULL,
    body BLOB NOT NULL
  );

  CREATE TABLE delivery_ids (
    delivery_id TEXT PRIMARY KEY,
    "offset" INTEGER NOT NULL,
    received_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX delivery_ids_by_received_at ON delivery_ids (received_at);

  CREATE TABLE checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    "offset" INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  INSERT INTO checkpoint (id, "offset", updated_at) VALUES (1, 0, 0);

  CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT NOT NULL,
    "offset" INTEGER NOT NULL,
    webhook_event TEXT,
    processor TEXT NOT NULL,
    kind TEXT NOT NULL,
    resource_index INTEGER NOT NULL,
    entity_id TEXT,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    first_failed_at INTEGER NOT NULL,
    last_failed_at INTEGER NOT NULL,
    redriven_at INTEGER
  );
  CREATE INDEX dead_letters_waiting ON dead_letters ("offset") WHERE redriven_at IS NULL;
`;

/*
 * Version 2 adds what the pipeline must remember across restarts besides the
 * deliveries: the entities it wrote to Port (`written_entities`, one row per
 * resource config and Jira id) and the processed result of each delivery
 * (`processed_results`, the JSON the result feed sends).
 */
const VERSION_2_SQL = `
  CREATE TABLE written_entities (
    resource_index INTEGER NOT NULL,
    jira_id TEXT NOT NULL,
    project_id TEXT,
    updated TEXT,
    blueprint TEXT NOT NULL,
    identifier TEXT NOT NULL,
    PRIMARY KEY (resource_index, jira_id)
  ) WITHOUT ROWID;
  CREATE INDEX written_entities_by_entity ON written_entities (resource_index, blueprint, identifier);
  CREATE INDEX written_entities_by_project ON written_entities (resource_index, project_id) WHERE project_id IS NOT NULL;

  CREATE TABLE processed_results (
    "offset" INTEGER PRIMARY KEY,
    delivery_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    result TEXT NOT NULL
  );
  CREATE INDEX processed_results_by_received_at ON processed_results (received_at);
  CREATE INDEX processed_results_by_delivery_id ON processed_results (delivery_id);
`;

/** SQL that takes a file from version `n` to `n + 1`, by `n`. */
const MIGRATIONS: Readonly<Record<number, string>> = { 1: VERSION_2_SQL };

/**
 * Open (or create) the event log database at `path` in WAL mode, creating
 * the parent directory. Checks the file before use and throws
 * `EventLogOpenError` naming the path and the fix when the file is not
 * SQLite, fails the integrity check, belongs to another program or has an
 * unknown schema version.
 *
 * NOTE: the integrity check (`PRAGMA quick_check`) reads the whole file, so
 * opening a large log takes time in proportion to its size.
 */
export function openLogDatabase(path: string): SqliteDatabase {
  createParentDirectory(path);

  let database: SqliteDatabase;
  try {
    database = new Database(path);
  } catch (cause) {
    throw openError(path, cause);
  }

  try {
    configure(database);
    checkIntegrity(database, path);
    prepareSchema(database, path);
    return database;
  } catch (cause) {
    database.close();
    throw cause instanceof EventLogOpenError ? cause : openError(path, cause);
  }
}

function createParentDirectory(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (cause) {
    const reason = `its directory could not be created (${describe(cause)})`;
    throw new EventLogOpenError(path, reason, 'Choose a path in a writable directory', { cause });
  }
}

/**
 * WAL lets readers run beside the writer. `synchronous = FULL` syncs the WAL
 * on every commit, so an acknowledged delivery survives a power loss as well
 * as a crash. Group commit spreads the cost of that sync over many deliveries.
 */
function configure(database: SqliteDatabase): void {
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
}

function checkIntegrity(database: SqliteDatabase, path: string): void {
  const rows = database.pragma('quick_check') as Array<{ quick_check: string }>;
  const problems = rows.map((row) => row.quick_check).filter((result) => result !== 'ok');
  if (problems.length > 0) {
    throw new EventLogOpenError(path, `the SQLite integrity check failed (${problems.slice(0, 3).join('; ')})`);
  }
}

function prepareSchema(database: SqliteDatabase, path: string): void {
  const version = database.pragma('user_version', { simple: true }) as number;
  const applicationId = database.pragma('application_id', { simple: true }) as number;
  const tables = tableNames(database);

  if (version === 0 && applicationId === 0 && tables.size === 0) {
    createSchema(database);
    return;
  }
  if (applicationId !== APPLICATION_ID) {
    const reason = `the file is an SQLite database of another program (application_id ${applicationId}, expected ${APPLICATION_ID})`;
    throw new EventLogOpenError(path, reason, 'Choose another path for the event log, or move the file away');
  }
  if (version < 1 || version > SCHEMA_VERSION) {
    const reason = `its schema version ${version} is unknown to this build, which reads versions 1 to ${SCHEMA_VERSION}`;
    throw new EventLogOpenError(path, reason, 'Run the jira-port-stream release that wrote it, or restore a backup, or move the file away');
  }

  if (version < SCHEMA_VERSION) migrate(database, version);
  const missing = TABLES.filter((table) => !tableNames(database).has(table));
  if (missing.length > 0) throw new EventLogOpenError(path, `tables are missing: ${missing.join(', ')}`);
}

function createSchema(database: SqliteDatabase): void {
  database.transaction(() => {
    database.exec(VERSION_1_SQL);
    database.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(database, 1);
  })();
}

/**
 * Apply the migrations from `version` up to `SCHEMA_VERSION` in one
 * immediate transaction, so that a second process opening the same file at
 * the same time waits (busy timeout) and then finds the file migrated.
 */
function migrate(database: SqliteDatabase, version: number): void {
  database.transaction(() => {
    const current = database.pragma('user_version', { simple: true }) as number;
    for (let from = Math.max(current, version); from < SCHEMA_VERSION; from += 1) {
      database.exec(MIGRATIONS[from] as string);
      database.pragma(`user_version = ${from + 1}`);
    }
  }).immediate();
}

function tableNames(database: SqliteDatabase): Set<string> {
  const rows = database.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as Array<{ name: string }>;
  return new Set(rows.map((row) => row.name));
}

/** Wrap an error from SQLite or the file system, with a fix that fits its code. */
function openError(path: string, cause: unknown): EventLogOpenError {
  const code = (cause as { code?: unknown } | null)?.code;
  const reason = `SQLite could not read it (${describe(cause)})`;

  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_READONLY') {
    return new EventLogOpenError(path, reason, 'Check that the path names a file this user can read and write', { cause });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new EventLogOpenError(path, reason, 'Stop the other process that has the file open, then start again', { cause });
  }
  return new EventLogOpenError(path, reason, undefined, { cause });
}

function describe(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
