import type { Logger } from '../core/logger.js';
import type { PruneResult } from './log-settings.js';

/** Time between two prunes of the event log (1 hour). Retention is counted in days, so hourly keeps the file close to its bound. */
export const DEFAULT_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** A log that can prune itself: `SqliteEventLog` or `MemoryEventLog`. */
export interface PrunableLog {
  prune(now: number): PruneResult;
}

export interface RetentionTimerOptions {
  readonly logger: Logger;
  /** Milliseconds between prunes (default 1 hour). */
  readonly intervalMs?: number;
  /** Clock passed to `prune` (default `Date.now`). */
  readonly now?: () => number;
}

/** A running retention timer. */
export interface RetentionTimer {
  /** Stop pruning. Call it before the log is closed. */
  stop(): void;
}

/**
 * Prune the log right away and then every `intervalMs`: deliveries the
 * checkpoint passed and the retention outlived, old delivery ids and old
 * processed results (the log's `prune` decides what is old). A failed prune
 * is logged with its error and tried again at the next tick. The timer does
 * not keep the process alive.
 */
export function startRetentionTimer(log: PrunableLog, options: RetentionTimerOptions): RetentionTimer {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? DEFAULT_PRUNE_INTERVAL_MS;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new RangeError(`Invalid prune interval ${intervalMs} ms: expected a positive number of milliseconds.`);
  }

  const prune = (): void => {
    try {
      const removed = log.prune(now());
      const total = removed.deliveries + removed.deliveryIds + removed.processedResults;
      if (total > 0) options.logger.info({ removed }, 'event log pruned');
      else options.logger.debug({ removed }, 'event log pruned; nothing was old enough');
    } catch (error) {
      options.logger.error({ err: error, retryInMs: intervalMs }, 'pruning the event log failed; retrying at the next interval');
    }
  };

  prune();
  const timer = setInterval(prune, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
