import { Subject, type Observable } from 'rxjs';
import type { Delivery, IncomingDelivery } from '../core/delivery.js';
import type { AppendResult, EventLog } from './event-log.js';
import { EventLogClosedError } from './errors.js';
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
import { MemoryDeadLetterStore } from './memory-dead-letters.js';

export interface MemoryEventLogOptions extends RetentionOptions {
  /** Clock for dead-letter timestamps (default `Date.now`). */
  readonly now?: () => number;
}

interface SeenDelivery {
  readonly offset: number;
  readonly receivedAt: number;
}

/**
 * An `EventLog` kept in process memory, for embedding and tests. It has the
 * same dedupe, checkpoint and prune rules as `SqliteEventLog`, but nothing
 * survives the process: a host that needs "nothing accepted is lost" across
 * restarts uses the SQLite log.
 */
export class MemoryEventLog implements EventLog {
  /** Failed work of this log's deliveries. `prune` keeps the deliveries that it points to. */
  readonly deadLetters: MemoryDeadLetterStore;

  readonly appended$: Observable<number>;

  /** Stored deliveries in ascending offset order. */
  #deliveries: Delivery[] = [];
  readonly #seen = new Map<string, SeenDelivery>();
  readonly #appended = new Subject<number>();
  readonly #dedupeWindowMs: number;
  readonly #retentionMs: number;
  #head = 0;
  #checkpoint = 0;
  #closed = false;

  constructor(options: MemoryEventLogOptions = {}) {
    this.#dedupeWindowMs = resolveDuration('dedupeWindowMs', options.dedupeWindowMs, DEFAULT_DEDUPE_WINDOW_MS);
    this.#retentionMs = resolveDuration('retentionMs', options.retentionMs, DEFAULT_RETENTION_MS);
    this.deadLetters = new MemoryDeadLetterStore(options.now);
    this.appended$ = this.#appended.asObservable();
  }

  /** Store a copy of the delivery unless its id was seen, and emit the new head on `appended$` before resolving. */
  async append(delivery: IncomingDelivery): Promise<AppendResult> {
    this.#assertOpen('append a delivery');
    validateIncomingDelivery(delivery);

    const seen = this.#seen.get(delivery.deliveryId);
    if (seen !== undefined) return { offset: seen.offset, duplicate: true };

    this.#head += 1;
    const stored: Delivery = {
      offset: this.#head,
      deliveryId: delivery.deliveryId,
      receivedAt: delivery.receivedAt,
      headers: { ...delivery.headers },
      body: Buffer.from(delivery.body),
    };
    this.#deliveries.push(stored);
    this.#seen.set(stored.deliveryId, { offset: stored.offset, receivedAt: stored.receivedAt });

    this.#appended.next(this.#head);
    return { offset: stored.offset, duplicate: false };
  }

  readAfter(afterOffset: number, limit: number): Delivery[] {
    this.#assertOpen('read deliveries');
    validateReadLimit(limit);

    const start = this.#firstIndexAfter(afterOffset);
    return this.#deliveries.slice(start, start + limit);
  }

  headOffset(): number {
    return this.#head;
  }

  checkpoint(offset: number): void {
    this.#assertOpen('record a checkpoint');
    this.#checkpoint = nextCheckpoint(offset, this.#checkpoint, this.#head);
  }

  lastCheckpoint(): number {
    return this.#checkpoint;
  }

  /**
   * Removes deliveries at or below the checkpoint received more than
   * `retentionMs` before `now`, except those that waiting dead letters point
   * to. Removes delivery ids older than the dedupe window whose delivery is gone.
   */
  prune(now: number): PruneResult {
    this.#assertOpen('prune');

    const retainedBefore = now - this.#retentionMs;
    const needed = this.deadLetters.pendingOffsets();
    const kept = this.#deliveries.filter(
      (delivery) =>
        delivery.offset > this.#checkpoint || delivery.receivedAt >= retainedBefore || needed.has(delivery.offset),
    );
    const deliveries = this.#deliveries.length - kept.length;
    this.#deliveries = kept;

    return { deliveries, deliveryIds: this.#forgetIdsBefore(now - this.#dedupeWindowMs), processedResults: 0 };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#appended.complete();
  }

  #forgetIdsBefore(cutoff: number): number {
    let forgotten = 0;
    for (const [deliveryId, seen] of this.#seen) {
      // A delivery still in the log keeps its id, so a retry never stores a second copy of it.
      if (seen.receivedAt < cutoff && !this.#isStored(seen.offset)) {
        this.#seen.delete(deliveryId);
        forgotten += 1;
      }
    }
    return forgotten;
  }

  #isStored(offset: number): boolean {
    const index = this.#firstIndexAfter(offset - 1);
    return this.#deliveries[index]?.offset === offset;
  }

  /** Binary search for the index of the first delivery with an offset above `afterOffset`. */
  #firstIndexAfter(afterOffset: number): number {
    let low = 0;
    let high = this.#deliveries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#deliveries[middle]?.offset ?? Infinity) > afterOffset) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  #assertOpen(operation: string): void {
    if (this.#closed) throw new EventLogClosedError(operation);
  }
}
