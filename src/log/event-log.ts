import type { Observable } from 'rxjs';
import type { Delivery, IncomingDelivery } from '../core/delivery.js';

/** What `EventLog.append` did with a delivery. */
export interface AppendResult {
  /** Offset of the stored delivery; for a duplicate, the offset of the first copy. */
  readonly offset: number;
  /** True when a delivery with the same `deliveryId` was already in the log. */
  readonly duplicate: boolean;
}

/**
 * The event log: the source of truth for accepted deliveries. A 2xx to Jira
 * is sent only after `append` resolves. The pipeline reads it from the last
 * checkpoint and moves the checkpoint past deliveries whose work has ended.
 */
export interface EventLog {
  /** Store a delivery unless its `deliveryId` is already stored. */
  append(delivery: IncomingDelivery): Promise<AppendResult>;

  /** Up to `limit` deliveries with offsets greater than `afterOffset`, in offset order. */
  readAfter(afterOffset: number, limit: number): Delivery[];

  /** Emits the new highest offset after each append (a wake-up signal for readers). */
  readonly appended$: Observable<number>;

  /** Highest offset stored so far, 0 when empty. */
  headOffset(): number;

  /** Record that every delivery with an offset up to and including `offset` has ended. */
  checkpoint(offset: number): void;

  /** The last recorded checkpoint, 0 when none. */
  lastCheckpoint(): number;

  close(): Promise<void>;
}
