import type { Statement } from 'better-sqlite3';
import type { Outcome, ProcessedResult } from '../core/results.js';
import type { ResultHistory } from '../feed/history.js';
import { projectResult } from '../feed/projection.js';
import { PendingLogFileStore } from './log-file-store.js';
import type { ScheduleCommit } from './pending-writes.js';
import type { SqliteDatabase } from './sqlite-schema.js';

interface ResultRow {
  readonly result: string;
}

/**
 * A `ResultHistory` in the event log's file (table `processed_results`): the
 * processed result of each delivery, as the feed projection that clients
 * receive, so that `?from=OFFSET` on the feed works across restarts. A
 * result replaces the stored result of the same offset (a replay or a
 * redrive writes the newer outcome).
 *
 * `record` waits in memory and is committed with the log's next group
 * commit (see `PendingWrites`), in the same transaction as the checkpoint
 * that passes the delivery. Reads see pending results at once.
 * `SqliteEventLog.prune` removes results with the deliveries' retention.
 *
 * Obtain it as `SqliteEventLog.results`.
 */
export class SqliteResultHistory extends PendingLogFileStore<number, ProcessedResult> implements ResultHistory {
  readonly #statements: ReturnType<typeof prepareStatements>;

  /**
   * @param isOpen returns false once the owning log is closed.
   * @param schedule requests a group commit from the owning log.
   */
  constructor(database: SqliteDatabase, isOpen: () => boolean, schedule: ScheduleCommit) {
    super(isOpen, schedule);
    this.#statements = prepareStatements(database);
  }

  record(result: ProcessedResult): void {
    this.assertOpen('record a processed result');
    this.stage(result.offset, projectResult(result));
  }

  after(offset: number, limit: number): ProcessedResult[] {
    this.assertOpen('read processed results');
    if (limit <= 0) return [];

    const stored = (this.#statements.selectAfter.all(offset, limit) as ResultRow[]).map((row) => JSON.parse(row.result) as ProcessedResult);
    if (this.pending.size === 0) return stored;

    const merged = new Map<number, ProcessedResult>(stored.map((result) => [result.offset, result]));
    for (const [pendingOffset, result] of this.pending) {
      if (pendingOffset > offset) merged.set(pendingOffset, result);
    }
    return [...merged.values()].sort((left, right) => left.offset - right.offset).slice(0, limit);
  }

  oldestOffset(): number | undefined {
    this.assertOpen('read processed results');

    const stored = (this.#statements.selectOldest.get() as { oldest: number | null }).oldest;
    const offsets = [...this.pending.keys(), ...(stored === null ? [] : [stored])];
    return offsets.length === 0 ? undefined : Math.min(...offsets);
  }

  /** Return the stored result of the delivery with this id, if there is one. */
  forDelivery(deliveryId: string): ProcessedResult | undefined {
    this.assertOpen('read processed results');

    const pending = [...this.pending.values()].find((result) => result.deliveryId === deliveryId);
    if (pending !== undefined) return pending;
    const row = this.#statements.selectByDeliveryId.get(deliveryId) as ResultRow | undefined;
    return row === undefined ? undefined : (JSON.parse(row.result) as ProcessedResult);
  }

  /** Count the stored results per outcome, `dead-lettered` included. */
  countByOutcome(): Record<Outcome, number> {
    this.assertOpen('count processed results');

    const counts: Record<Outcome, number> = { upserted: 0, deleted: 0, ignored: 0, rejected: 0, failed: 0, 'dead-lettered': 0 };
    const pendingOffsets = [...this.pending.keys()];
    const rows = this.#statements.countByOutcome.all(JSON.stringify(pendingOffsets)) as Array<{ outcome: Outcome; total: number }>;
    for (const row of rows) counts[row.outcome] += row.total;
    for (const result of this.pending.values()) counts[result.outcome] += 1;
    return counts;
  }

  override writePending(): void {
    for (const result of this.pending.values()) {
      this.#statements.upsert.run(result.offset, result.deliveryId, result.outcome, result.timings.receivedAt, result.timings.finishedAt, JSON.stringify(result));
    }
  }

}

function prepareStatements(database: SqliteDatabase) {
  const prepare = (sql: string): Statement => database.prepare(sql);
  return {
    selectAfter: prepare('SELECT result FROM processed_results WHERE "offset" > ? ORDER BY "offset" LIMIT ?'),
    selectOldest: prepare('SELECT min("offset") AS oldest FROM processed_results'),
    selectByDeliveryId: prepare('SELECT result FROM processed_results WHERE delivery_id = ? ORDER BY "offset" DESC LIMIT 1'),
    // Pending results replace stored ones of the same offset, so the count skips those rows.
    countByOutcome: prepare(`
      SELECT outcome, count(*) AS total FROM processed_results
      WHERE "offset" NOT IN (SELECT value FROM json_each(?))
      GROUP BY outcome`),
    upsert: prepare(`
      INSERT OR REPLACE INTO processed_results ("offset", delivery_id, outcome, received_at, finished_at, result)
      VALUES (?, ?, ?, ?, ?, ?)`),
  };
}
