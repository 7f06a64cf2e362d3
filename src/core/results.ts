/**
 * Processed results: every delivery read from the event log ends as exactly
 * one `ProcessedResult` on the pipeline's results Observable.
 */

/**
 * How a delivery ended.
 * - `upserted`: at least one entity was written to Port (deletes may have happened too).
 * - `deleted`: entities were deleted and none upserted.
 * - `ignored`: nothing to do; `reason` says why (unknown event, kind not mapped, selector).
 * - `rejected`: authentication or payload validation failed; `reason` names the value at fault.
 * - `failed`: work still failed after its retries; `error` says what failed.
 * - `dead-lettered`: failed, and the failed work was stored for a later redrive.
 */
export type Outcome = 'upserted' | 'deleted' | 'ignored' | 'rejected' | 'failed' | 'dead-lettered';

export const OUTCOMES: readonly Outcome[] = ['upserted', 'deleted', 'ignored', 'rejected', 'failed', 'dead-lettered'];

/** A Port entity address. */
export interface EntityRef {
  readonly blueprint: string;
  readonly identifier: string;
}

/** Epoch-millisecond timestamps of one delivery's way through the pipeline. */
export interface ResultTimings {
  readonly receivedAt: number;
  readonly startedAt: number;
  /** When the last Jira fetch of this delivery's work returned; absent when nothing was fetched. */
  readonly fetchedAt?: number;
  /** When the last Port write of this delivery's work returned; absent when nothing was written. */
  readonly writtenAt?: number;
  readonly finishedAt: number;
}

/** The end of one unit of work: one processor paired with one resource config. */
export interface WorkResult {
  readonly processor: string;
  readonly kind: string;
  /** Index of the resource config in the mapping's `resources` list. */
  readonly resourceIndex: number;
  /** The Jira id the work was about, when the processor names one. */
  readonly entityId?: string;
  readonly outcome: Outcome;
  readonly upserted: readonly EntityRef[];
  readonly deleted: readonly EntityRef[];
  readonly reason?: string;
  readonly error?: string;
  /** Dead-letter id when the failed work was stored for redrive. */
  readonly deadLetterId?: number;
}

export interface ProcessedResult {
  readonly offset: number;
  readonly deliveryId: string;
  /** The payload's `webhookEvent`, or null when the body had none. */
  readonly webhookEvent: string | null;
  /** Processors that owned the delivery (empty when none did). */
  readonly processors: readonly string[];
  readonly kinds: readonly string[];
  readonly outcome: Outcome;
  readonly upserted: readonly EntityRef[];
  readonly deleted: readonly EntityRef[];
  readonly reason?: string;
  readonly error?: string;
  readonly work: readonly WorkResult[];
  readonly timings: ResultTimings;
}
