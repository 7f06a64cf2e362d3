import type { Statement } from 'better-sqlite3';
import { Subject, type Observable } from 'rxjs';
import type { Delivery, IncomingDelivery } from '../core/delivery.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { AppendResult, EventLog } from './event-log.js';
import { EventLogClosedError, EventLogOpenError, EventLogWriteError } from './errors.js';
import { GroupCommit } from './group-commit.js';
import {
  DEFAULT_DEDUPE_WINDOW_MS,
  DEFAULT_RETENTION_MS,
  nextCheckpoint,
  resolveDuration,
  validateIncomingDelivery,
  validateReadLimit,
  type PruneResult,
  type RetentionOptions,
} from './log-settings.js';
import type { PendingWrites } from './pending-writes.js';
import { SqliteDeadLetterStore } from './sqlite-dead-letters.js';
import { SqliteResultHistory } from './sqlite-result-history.js';
import { openLogDatabase, SCHEMA_VERSION, type SqliteDatabase } from './sqlite-schema.js';
import { SqliteWrittenIndex } from './sqlite-written-index.js';

export const DEFAULT_GROUP_COMMIT_MS = 2;

/** Maximum deliveries in one transaction. A larger burst is split into several groups. */
const MAX_GROUP_SIZE = 500;

export interface SqliteEventLogOptions extends RetentionOptions {
  /** Milliseconds the first append of a group waits for others to share its transaction (default 2). */
  readonly groupCommitMs?: number;
  /** Clock for checkpoint and dead-letter timestamps (default `Date.now`). */
  readonly now?: () => number;
  /** Receives errors that no caller can see, such as a failed background checkpoint write (default: silent). */
  readonly logger?: Logger;
}

/** Counters since the log was opened. */
export interface EventLogStats {
  /** Committed write transactions (group commits and prunes). */
  readonly transactions: number;
  /** Deliveries stored. */
  readonly appended: number;
  /** Appends that returned `duplicate: true`. */
  readonly duplicates: number;
}

interface Settings {
  readonly dedupeWindowMs: number;
  readonly retentionMs: number;
  readonly groupCommitMs: number;
  readonly now: () => number;
  readonly logger: Logger;
}

interface DeliveryRow {
  readonly offset: number;
  readonly delivery_id: string;
  readonly received_at: number;
  readonly headers: string;
  readonly body: Buffer;
}

/**
 * An `EventLog` in an SQLite file (better-sqlite3, WAL mode). `append`
 * resolves only after the delivery's transaction has committed, and appends
 * that arrive within `groupCommitMs` of each other share that transaction.
 *
 * A delivery id rejects copies while its delivery is stored and, after that,
 * until it is older than the dedupe window. The checkpoint is kept in memory
 * at once and written with the next group commit (at most `groupCommitMs`
 * later, or on `close`), together with the pending writes of `written` and
 * `results`. A crash in between replays those deliveries, which is safe
 * under at-least-once processing.
 *
 * Another process may open the same file (the `replay` and `dead-letters`
 * commands do): WAL lets it read while this log writes, and write
 * transactions wait for each other up to the busy timeout (5 s). The head
 * offset is read once at open, so only one process may append.
 */
export class SqliteEventLog implements EventLog {
  /** Dead letters, stored in the same database file. */
  readonly deadLetters: SqliteDeadLetterStore;

  /** The entities the pipeline wrote to Port, stored in the same file and committed with the group commits. */
  readonly written: SqliteWrittenIndex;

  /** Processed results for the feed's resume, stored in the same file and committed with the group commits. */
  readonly results: SqliteResultHistory;

  readonly appended$: Observable<number>;

  readonly #database: SqliteDatabase;
  readonly #settings: Settings;
  readonly #statements: ReturnType<typeof prepareStatements>;
  readonly #group: GroupCommit<IncomingDelivery, AppendResult>;
  readonly #appended = new Subject<number>();
  /** Stores whose writes ride along with each group commit. */
  readonly #pendingStores: readonly PendingWrites[];
  #head: number;
  #checkpoint: number;
  #storedCheckpoint: number;
  #closed = false;
  #stats = { transactions: 0, appended: 0, duplicates: 0 };

  /**
   * Open or create the log at `path`. Throws `EventLogOpenError` when the file
   * cannot be used (see `openLogDatabase`) and `InvalidLogOptionError` for an
   * option out of range.
   */
  static open(path: string, options: SqliteEventLogOptions = {}): SqliteEventLog {
    const settings: Settings = {
      dedupeWindowMs: resolveDuration('dedupeWindowMs', options.dedupeWindowMs, DEFAULT_DEDUPE_WINDOW_MS),
      retentionMs: resolveDuration('retentionMs', options.retentionMs, DEFAULT_RETENTION_MS),
      groupCommitMs: resolveDuration('groupCommitMs', options.groupCommitMs, DEFAULT_GROUP_COMMIT_MS),
      now: options.now ?? Date.now,
      logger: options.logger ?? silentLogger(),
    };

    const database = openLogDatabase(path);
    try {
      return new SqliteEventLog(path, database, settings);
    } catch (cause) {
      database.close();
      throw new EventLogOpenError(path, `its tables do not match schema version ${SCHEMA_VERSION} (${String(cause)})`, undefined, { cause });
    }
  }

  private constructor(
    readonly path: string,
    database: SqliteDatabase,
    settings: Settings,
  ) {
    this.#database = database;
    this.#settings = settings;
    this.#statements = prepareStatements(database);
    this.#head = (this.#statements.selectHead.get() as { seq: number } | undefined)?.seq ?? 0;
    this.#checkpoint = (this.#statements.selectCheckpoint.get() as { offset: number }).offset;
    this.#storedCheckpoint = this.#checkpoint;

    this.#group = new GroupCommit(
      (deliveries) => this.#commitGroup(deliveries),
      (deliveries, cause) => new EventLogWriteError(path, deliveries.map((delivery) => delivery.deliveryId), { cause }),
      settings.groupCommitMs,
      MAX_GROUP_SIZE,
    );
    const isOpen = (): boolean => !this.#closed;
    const schedule = (): void => this.#group.schedule();
    this.deadLetters = new SqliteDeadLetterStore(database, isOpen, settings.now);
    this.written = new SqliteWrittenIndex(database, isOpen, schedule);
    this.results = new SqliteResultHistory(database, isOpen, schedule);
    this.#pendingStores = [this.written, this.results];
    this.appended$ = this.#appended.asObservable();
  }

  /**
   * Store the delivery unless its id was seen. Resolves after the group
   * commit that contains it. Rejects with `EventLogWriteError` when that
   * commit failed, in which case nothing of the delivery was stored.
   */
  append(delivery: IncomingDelivery): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new EventLogClosedError('append a delivery'));
    try {
      validateIncomingDelivery(delivery);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#group.submit(delivery);
  }

  readAfter(afterOffset: number, limit: number): Delivery[] {
    this.#assertOpen('read deliveries');
    validateReadLimit(limit);

    const rows = this.#statements.selectAfter.all(afterOffset, limit) as DeliveryRow[];
    return rows.map((row) => ({
      offset: row.offset,
      deliveryId: row.delivery_id,
      receivedAt: row.received_at,
      headers: JSON.parse(row.headers) as Record<string, string>,
      body: row.body,
    }));
  }

  headOffset(): number {
    return this.#head;
  }

  /**
   * Return the lowest stored offset of a delivery received at or after
   * `receivedAt` (epoch ms), or undefined when there is none. It scans the
   * deliveries table, because `received_at` has no index there.
   */
  firstOffsetReceivedSince(receivedAt: number): number | undefined {
    this.#assertOpen('read deliveries');
    const row = this.#statements.selectFirstSince.get(receivedAt) as { first: number | null };
    return row.first ?? undefined;
  }

  /** Record the checkpoint in memory and schedule its write with the next group commit. */
  checkpoint(offset: number): void {
    this.#assertOpen('record a checkpoint');
    this.#checkpoint = nextCheckpoint(offset, this.#checkpoint, this.#head);
    if (this.#checkpoint !== this.#storedCheckpoint) this.#group.schedule();
  }

  lastCheckpoint(): number {
    return this.#checkpoint;
  }

  /**
   * Removes deliveries at or below the checkpoint received more than
   * `retentionMs` before `now`, except those that waiting dead letters point
   * to, and the processed results of deliveries received before that time.
   * Forgets delivery ids older than the dedupe window whose delivery is
   * gone. Commits pending appends and the checkpoint first.
   */
  prune(now: number): PruneResult {
    this.#assertOpen('prune');
    this.#group.flush();

    // Prune against the stored checkpoint: after a crash the log replays from it, so every delivery above it must remain.
    const retainedSince = now - this.#settings.retentionMs;
    const result = this.#database.transaction(() => ({
      deliveries: this.#statements.pruneDeliveries.run(this.#storedCheckpoint, retainedSince).changes,
      deliveryIds: this.#statements.pruneDeliveryIds.run(now - this.#settings.dedupeWindowMs).changes,
      processedResults: this.#statements.pruneResults.run(retainedSince).changes,
    }))();
    this.#stats.transactions += 1;
    return result;
  }

  stats(): EventLogStats {
    return { ...this.#stats };
  }

  /**
   * Commit pending appends, the pending writes of `written` and `results`
   * and the checkpoint, complete `appended$` and close the file. Rejects when
   * that commit failed. The file is closed all the same, and the next open
   * replays from the stored checkpoint.
   */
  async close(): Promise<void> {
    if (this.#closed) return;

    this.#group.flush();
    this.#closed = true;
    this.#appended.complete();
    try {
      this.#writeGroup([]);
    } finally {
      this.#database.close();
    }
  }

  /**
   * Write one group, the pending writes of the written index and the result
   * history, and the current checkpoint in one transaction, then emit the new
   * head offset. A group without deliveries writes only the rest. When that
   * write fails, the error is logged and the write is retried with the next
   * group, because a stale checkpoint only causes a replay.
   */
  #commitGroup(deliveries: readonly IncomingDelivery[]): AppendResult[] {
    if (deliveries.length === 0) {
      try {
        this.#writeGroup([]);
      } catch (error) {
        this.#settings.logger.error({ err: error, path: this.path, checkpoint: this.#checkpoint }, 'checkpoint write failed; retrying with the next group commit');
      }
      return [];
    }

    const results = this.#writeGroup(deliveries);
    const head = Math.max(this.#head, ...results.map((result) => result.offset));
    if (head > this.#head) {
      this.#head = head;
      this.#appended.next(head);
    }
    return results;
  }

  #writeGroup(deliveries: readonly IncomingDelivery[]): AppendResult[] {
    const checkpoint = this.#checkpoint;
    const stores = this.#pendingStores.filter((store) => store.hasPending());
    if (deliveries.length === 0 && checkpoint === this.#storedCheckpoint && stores.length === 0) return [];

    const results = this.#database.transaction(() => {
      const stored = deliveries.map((delivery) => this.#storeDelivery(delivery));
      for (const store of stores) store.writePending();
      if (checkpoint !== this.#storedCheckpoint) {
        this.#statements.updateCheckpoint.run(checkpoint, this.#settings.now());
      }
      return stored;
    }).immediate();

    for (const store of stores) store.committed();
    this.#storedCheckpoint = checkpoint;
    this.#countCommit(results);
    return results;
  }

  /** Insert one delivery inside the open transaction, or return the offset of its first copy. */
  #storeDelivery(delivery: IncomingDelivery): AppendResult {
    const seen = this.#statements.selectSeen.get(delivery.deliveryId) as { offset: number } | undefined;
    if (seen !== undefined) return { offset: seen.offset, duplicate: true };

    const inserted = this.#statements.insertDelivery.run(
      delivery.deliveryId,
      delivery.receivedAt,
      JSON.stringify(delivery.headers),
      delivery.body,
    );
    const offset = Number(inserted.lastInsertRowid);
    this.#statements.insertSeen.run(delivery.deliveryId, offset, delivery.receivedAt);
    return { offset, duplicate: false };
  }

  #countCommit(results: readonly AppendResult[]): void {
    const duplicates = results.filter((result) => result.duplicate).length;
    this.#stats.transactions += 1;
    this.#stats.appended += results.length - duplicates;
    this.#stats.duplicates += duplicates;
  }

  #assertOpen(operation: string): void {
    if (this.#closed) throw new EventLogClosedError(operation);
  }
}

function prepareStatements(database: SqliteDatabase) {
  const prepare = (sql: string): Statement => database.prepare(sql);
  return {
    selectHead: prepare("SELECT seq FROM sqlite_sequence WHERE name = 'deliveries'"),
    selectCheckpoint: prepare('SELECT "offset" FROM checkpoint WHERE id = 1'),
    selectAfter: prepare(
      'SELECT "offset", delivery_id, received_at, headers, body FROM deliveries WHERE "offset" > ? ORDER BY "offset" LIMIT ?',
    ),
    selectSeen: prepare('SELECT "offset" FROM delivery_ids WHERE delivery_id = ?'),
    selectFirstSince: prepare('SELECT min("offset") AS first FROM deliveries WHERE received_at >= ?'),
    insertDelivery: prepare('INSERT INTO deliveries (delivery_id, received_at, headers, body) VALUES (?, ?, ?, ?)'),
    insertSeen: prepare('INSERT INTO delivery_ids (delivery_id, "offset", received_at) VALUES (?, ?, ?)'),
    updateCheckpoint: prepare('UPDATE checkpoint SET "offset" = ?, updated_at = ? WHERE id = 1'),
    pruneDeliveries: prepare(`
      DELETE FROM deliveries
      WHERE "offset" <= ? AND received_at < ?
        AND NOT EXISTS (
          SELECT 1 FROM dead_letters
          WHERE dead_letters."offset" = deliveries."offset" AND dead_letters.redriven_at IS NULL)`),
    pruneDeliveryIds: prepare(`
      DELETE FROM delivery_ids
      WHERE received_at < ?
        AND NOT EXISTS (SELECT 1 FROM deliveries WHERE deliveries.delivery_id = delivery_ids.delivery_id)`),
    pruneResults: prepare('DELETE FROM processed_results WHERE received_at < ?'),
  };
}
