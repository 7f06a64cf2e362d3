/**
 * The dead-letter store: work that still failed after its retries, kept so
 * that an operator can inspect it and re-drive it. One entry is one unit of
 * work (a processor paired with a resource config) of one delivery.
 */

/** A failed unit of work as the pipeline hands it to the store. */
export interface NewDeadLetter {
  readonly deliveryId: string;
  /** Event log offset of the delivery, which a redrive reads the body from. */
  readonly offset: number;
  /** The payload's `webhookEvent`, or null when the body had none. */
  readonly webhookEvent: string | null;
  readonly processor: string;
  readonly kind: string;
  /** Index of the resource config in the mapping's `resources` list. */
  readonly resourceIndex: number;
  /** The Jira id the work was about, when the processor names one. */
  readonly entityId?: string;
  /** The last error message, which must not contain a secret or a whole payload. */
  readonly error: string;
  readonly attempts: number;
  /** Epoch milliseconds of the first failed attempt. */
  readonly firstFailedAt: number;
  /** Epoch milliseconds of the last failed attempt. */
  readonly lastFailedAt: number;
}

/** A stored dead letter. */
export interface DeadLetter extends NewDeadLetter {
  /** Store-assigned id, strictly increasing and never reused. */
  readonly id: number;
  /** Epoch milliseconds of the last `markRedriven`, or null while it waits for a redrive. */
  readonly redrivenAt: number | null;
}

/** Filter and page settings of `DeadLetterStore.list`. */
export interface DeadLetterListOptions {
  /** Include dead letters already marked as re-driven (default false). */
  readonly includeRedriven?: boolean;
  /** Only dead letters of this processor. */
  readonly processor?: string;
  /** Only ids greater than this one, for paging (default 0). */
  readonly afterId?: number;
  /** Maximum number of entries returned (default `DEFAULT_DEAD_LETTER_PAGE`, 100). */
  readonly limit?: number;
}

export interface DeadLetterStore {
  /**
   * Store a failed unit of work and return its id. When a dead letter for
   * the same work (offset, processor, resource index and entity id) still
   * waits for a redrive, update that one instead: add the attempts, keep
   * the first failure time, take the new error and last failure time. So a
   * delivery that fails again after a restart or a replay keeps one entry.
   */
  add(entry: NewDeadLetter): number;

  /**
   * Record one more failed attempt of a dead letter (a redrive that failed):
   * add 1 to `attempts` and set `error` and `lastFailedAt`. Throws
   * `DeadLetterNotFoundError` for an unknown id.
   */
  recordFailedAttempt(id: number, error: string, failedAt: number): void;

  /** Dead letters in id order, by default only those waiting for a redrive. */
  list(options?: DeadLetterListOptions): DeadLetter[];

  get(id: number): DeadLetter | undefined;

  /** Dead letters waiting for a redrive that point to the delivery at this offset, in id order. */
  waitingAt(offset: number): DeadLetter[];

  /** Delete a dead letter. Returns false when no entry has this id. */
  drop(id: number): boolean;

  /** Record that the entry was re-driven. Throws `DeadLetterNotFoundError` for an unknown id. */
  markRedriven(id: number): void;

  /** Number of dead letters waiting for a redrive (re-driven ones are not counted). */
  count(): number;
}

export { MemoryDeadLetterStore } from './memory-dead-letters.js';
export { SqliteDeadLetterStore } from './sqlite-dead-letters.js';
