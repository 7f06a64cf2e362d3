import type { Statement } from 'better-sqlite3';
import type { DeadLetter, DeadLetterListOptions, DeadLetterStore, NewDeadLetter } from './dead-letters.js';
import { DeadLetterNotFoundError } from './errors.js';
import { LogFileStore } from './log-file-store.js';
import { DEFAULT_DEAD_LETTER_PAGE } from './log-settings.js';
import type { SqliteDatabase } from './sqlite-schema.js';

interface DeadLetterRow {
  readonly id: number;
  readonly delivery_id: string;
  readonly offset: number;
  readonly webhook_event: string | null;
  readonly processor: string;
  readonly kind: string;
  readonly resource_index: number;
  readonly entity_id: string | null;
  readonly error: string;
  readonly attempts: number;
  readonly first_failed_at: number;
  readonly last_failed_at: number;
  readonly redriven_at: number | null;
}

const COLUMNS = `id, delivery_id, "offset", webhook_event, processor, kind, resource_index, entity_id,
  error, attempts, first_failed_at, last_failed_at, redriven_at`;

/**
 * A `DeadLetterStore` in the event log's database file, so that a dead letter
 * and the delivery it points to are backed up and restored together. Every
 * call is one synchronous transaction. Obtain it as `SqliteEventLog.deadLetters`.
 */
export class SqliteDeadLetterStore extends LogFileStore implements DeadLetterStore {
  readonly #database: SqliteDatabase;
  readonly #insert: Statement;
  readonly #selectSameWork: Statement;
  readonly #addAttempts: Statement;
  readonly #select: Statement;
  readonly #selectWaitingAt: Statement;
  readonly #list: Statement;
  readonly #delete: Statement;
  readonly #markRedriven: Statement;
  readonly #count: Statement;

  /**
   * @param isOpen returns false once the owning log is closed.
   * @param now clock for `markRedriven` timestamps.
   */
  constructor(
    database: SqliteDatabase,
    isOpen: () => boolean,
    private readonly now: () => number,
  ) {
    super(isOpen);
    this.#insert = database.prepare(`
      INSERT INTO dead_letters (delivery_id, "offset", webhook_event, processor, kind, resource_index,
        entity_id, error, attempts, first_failed_at, last_failed_at)
      VALUES (@deliveryId, @offset, @webhookEvent, @processor, @kind, @resourceIndex,
        @entityId, @error, @attempts, @firstFailedAt, @lastFailedAt)`);
    this.#database = database;
    this.#selectSameWork = database.prepare(`
      SELECT id FROM dead_letters
      WHERE "offset" = @offset AND redriven_at IS NULL AND processor = @processor
        AND resource_index = @resourceIndex AND entity_id IS @entityId
      ORDER BY id LIMIT 1`);
    this.#addAttempts = database.prepare(
      'UPDATE dead_letters SET attempts = attempts + @attempts, error = @error, last_failed_at = @lastFailedAt WHERE id = @id',
    );
    this.#select = database.prepare(`SELECT ${COLUMNS} FROM dead_letters WHERE id = ?`);
    this.#selectWaitingAt = database.prepare(`SELECT ${COLUMNS} FROM dead_letters WHERE "offset" = ? AND redriven_at IS NULL ORDER BY id`);
    this.#list = database.prepare(`
      SELECT ${COLUMNS} FROM dead_letters
      WHERE id > @afterId
        AND (@includeRedriven = 1 OR redriven_at IS NULL)
        AND (@processor IS NULL OR processor = @processor)
      ORDER BY id LIMIT @limit`);
    this.#delete = database.prepare('DELETE FROM dead_letters WHERE id = ?');
    this.#markRedriven = database.prepare('UPDATE dead_letters SET redriven_at = ? WHERE id = ?');
    this.#count = database.prepare('SELECT count(*) AS waiting FROM dead_letters WHERE redriven_at IS NULL');
  }

  add(entry: NewDeadLetter): number {
    this.assertOpen('add a dead letter');
    const row = { ...entry, entityId: entry.entityId ?? null };

    return this.#database.transaction(() => {
      const waiting = this.#selectSameWork.get(row) as { id: number } | undefined;
      if (waiting === undefined) return Number(this.#insert.run(row).lastInsertRowid);

      this.#addAttempts.run({ id: waiting.id, attempts: entry.attempts, error: entry.error, lastFailedAt: entry.lastFailedAt });
      return waiting.id;
    }).immediate();
  }

  recordFailedAttempt(id: number, error: string, failedAt: number): void {
    this.assertOpen('record a failed attempt of a dead letter');
    const changes = this.#addAttempts.run({ id, attempts: 1, error, lastFailedAt: failedAt }).changes;
    if (changes === 0) throw new DeadLetterNotFoundError(id);
  }

  list(options: DeadLetterListOptions = {}): DeadLetter[] {
    this.assertOpen('list dead letters');
    const rows = this.#list.all({
      afterId: options.afterId ?? 0,
      includeRedriven: options.includeRedriven ? 1 : 0,
      processor: options.processor ?? null,
      limit: options.limit ?? DEFAULT_DEAD_LETTER_PAGE,
    }) as DeadLetterRow[];
    return rows.map(toDeadLetter);
  }

  get(id: number): DeadLetter | undefined {
    this.assertOpen('read a dead letter');
    const row = this.#select.get(id) as DeadLetterRow | undefined;
    return row === undefined ? undefined : toDeadLetter(row);
  }

  waitingAt(offset: number): DeadLetter[] {
    this.assertOpen('list dead letters');
    return (this.#selectWaitingAt.all(offset) as DeadLetterRow[]).map(toDeadLetter);
  }

  drop(id: number): boolean {
    this.assertOpen('drop a dead letter');
    return this.#delete.run(id).changes > 0;
  }

  markRedriven(id: number): void {
    this.assertOpen('mark a dead letter as re-driven');
    if (this.#markRedriven.run(this.now(), id).changes === 0) throw new DeadLetterNotFoundError(id);
  }

  count(): number {
    this.assertOpen('count dead letters');
    return (this.#count.get() as { waiting: number }).waiting;
  }
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    offset: row.offset,
    webhookEvent: row.webhook_event,
    processor: row.processor,
    kind: row.kind,
    resourceIndex: row.resource_index,
    ...(row.entity_id === null ? {} : { entityId: row.entity_id }),
    error: row.error,
    attempts: row.attempts,
    firstFailedAt: row.first_failed_at,
    lastFailedAt: row.last_failed_at,
    redrivenAt: row.redriven_at,
  };
}
