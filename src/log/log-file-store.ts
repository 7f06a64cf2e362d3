import { EventLogClosedError } from './errors.js';
import type { PendingWrites, ScheduleCommit } from './pending-writes.js';

/**
 * Base of the stores that share the event log's file and connection (dead
 * letters, written index, result history). They live as long as the log:
 * once it is closed, every call throws `EventLogClosedError`.
 */
export abstract class LogFileStore {
  /** @param isOpen returns false once the owning log is closed. */
  protected constructor(private readonly isOpen: () => boolean) {}

  /** Throw `EventLogClosedError` naming `operation` when the owning log is closed. */
  protected assertOpen(operation: string): void {
    if (!this.isOpen()) throw new EventLogClosedError(operation);
  }
}

/**
 * A `LogFileStore` whose changes wait in `pending` (one entry per key, the
 * last change wins) until the log's next group commit writes them; see
 * `PendingWrites`. Subclasses read `pending` first, so their reads see
 * changes at once, and write it in `writePending`.
 */
export abstract class PendingLogFileStore<Key, Change> extends LogFileStore implements PendingWrites {
  /** Uncommitted changes by key. */
  protected readonly pending = new Map<Key, Change>();

  /**
   * @param isOpen returns false once the owning log is closed.
   * @param scheduleCommit requests a group commit from the owning log.
   */
  protected constructor(
    isOpen: () => boolean,
    private readonly scheduleCommit: ScheduleCommit,
  ) {
    super(isOpen);
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }

  abstract writePending(): void;

  committed(): void {
    this.pending.clear();
  }

  /** Keep a change for the next group commit, replacing an earlier change of the same key. */
  protected stage(key: Key, change: Change): void {
    this.pending.set(key, change);
    this.scheduleCommit();
  }
}
