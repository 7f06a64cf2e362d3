/**
 * Rate limiting for repeated mapping warnings, so one broken expression
 * does not log a line for every item it fails on.
 */
import type { Logger } from '../core/logger.js';

/** Default quiet period per key after a warning is logged. */
export const DEFAULT_WARNING_INTERVAL_MS = 60_000;

/**
 * Logs the first warning for a key at once, then at most one per
 * `intervalMs`. Each logged line carries `suppressed`, the number of
 * warnings for that key dropped since the previous line.
 */
export class WarningLimiter {
  private readonly lastLoggedAt = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = DEFAULT_WARNING_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs `message` with `fields` unless a warning for `key` was logged within the interval. */
  warn(key: string, fields: Record<string, unknown>, message: string): void {
    const time = this.now();
    const last = this.lastLoggedAt.get(key);
    if (last !== undefined && time - last < this.intervalMs) {
      this.suppressed.set(key, (this.suppressed.get(key) ?? 0) + 1);
      return;
    }

    const suppressed = this.suppressed.get(key) ?? 0;
    this.lastLoggedAt.set(key, time);
    this.suppressed.delete(key);
    this.logger.warn({ ...fields, suppressed }, message);
  }
}
