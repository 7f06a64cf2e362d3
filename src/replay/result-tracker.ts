import type { Outcome } from '../core/results.js';
import { LatencyHistogram, type LatencySummary } from './latency.js';
import type { ObservedResult } from './replay-target.js';

/** How many stored deliveries got their processed result, how fast, and how they ended. */
export interface EndToEndSummary {
  /** Deliveries the target stored as new (202), which each end as one result. */
  readonly expected: number;
  readonly observed: number;
  /** Expected results that did not arrive before the settle timeout. */
  readonly missing: number;
  /** From the start of the send to the arrival of the result. */
  readonly latencyMs: LatencySummary | null;
  readonly outcomes: Readonly<Partial<Record<Outcome, number>>>;
}

/**
 * Matches sent deliveries with their processed results by delivery id. A
 * result may arrive before the HTTP response that stored its delivery, so
 * results are kept until the end. Results for deliveries this replay did
 * not send (other traffic) are ignored.
 */
export class ResultTracker {
  readonly #sentAt = new Map<string, number>();
  readonly #observed = new Map<string, ObservedResult>();
  readonly #expected = new Set<string>();
  readonly #pending = new Set<string>();
  #waiter: (() => void) | undefined;

  /** Note the first send of `deliveryId`. A retry of the same id keeps the first time. */
  sent(deliveryId: string, at: number): void {
    if (!this.#sentAt.has(deliveryId)) this.#sentAt.set(deliveryId, at);
  }

  /** Note that the target stored `deliveryId` as new, so one result for it is due. */
  expect(deliveryId: string): void {
    if (this.#expected.has(deliveryId)) return;
    this.#expected.add(deliveryId);
    if (!this.#observed.has(deliveryId)) this.#pending.add(deliveryId);
  }

  /** The callback for `ReplayTarget.watchResults`. */
  readonly observe = (result: ObservedResult): void => {
    if (!this.#sentAt.has(result.deliveryId) || this.#observed.has(result.deliveryId)) return;
    this.#observed.set(result.deliveryId, result);
    if (this.#pending.delete(result.deliveryId) && this.#pending.size === 0) this.#waiter?.();
  };

  /** Resolve true once every expected result arrived, or false after `timeoutMs`. */
  async waitForAll(timeoutMs: number): Promise<boolean> {
    if (this.#pending.size === 0) return true;

    let timer: NodeJS.Timeout | undefined;
    const done = await new Promise<boolean>((resolve) => {
      this.#waiter = () => resolve(true);
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    clearTimeout(timer);
    this.#waiter = undefined;
    return done;
  }

  summary(): EndToEndSummary {
    const latency = new LatencyHistogram();
    const outcomes: Partial<Record<Outcome, number>> = {};
    let observed = 0;

    for (const deliveryId of this.#expected) {
      const result = this.#observed.get(deliveryId);
      if (result === undefined) continue;
      observed += 1;
      outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
      latency.record(result.observedAt - (this.#sentAt.get(deliveryId) ?? result.observedAt));
    }
    return { expected: this.#expected.size, observed, missing: this.#expected.size - observed, latencyMs: latency.summary(), outcomes };
  }
}
