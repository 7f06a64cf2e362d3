import type { RateLimitSettings } from './types.js';

/**
 * Port's org-level limit for the entities API as published in a docs preview
 * of 2025-06: 35,000 requests per 5 minutes. Port no longer publishes figures.
 */
const DEFAULT_LIMIT = 35_000;
const DEFAULT_PERIOD_SECONDS = 300;

/** The decision for one request, with the `x-ratelimit-*` headers to send. */
export interface RateDecision {
  readonly limited: boolean;
  /** Whole seconds until the window resets, at least 1. */
  readonly retryAfterSeconds: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A fixed-window request limit shared by the whole simulated organization.
 * Requests rejected with 429 count against the window as well.
 */
export class OrgRateLimit {
  private limit = DEFAULT_LIMIT;
  private periodMs = DEFAULT_PERIOD_SECONDS * 1000;
  private resetFormat: 'seconds' | 'epoch' = 'seconds';
  private windowStart = Date.now();
  private used = 0;

  /** Sets a per-second limit, or restores Port's default limit when `settings` is undefined. */
  configure(settings: RateLimitSettings | undefined): void {
    this.limit = settings?.requestsPerSecond ?? DEFAULT_LIMIT;
    this.periodMs = settings ? 1000 : DEFAULT_PERIOD_SECONDS * 1000;
    this.resetFormat = settings?.resetFormat ?? 'seconds';
    this.windowStart = Date.now();
    this.used = 0;
  }

  /** Counts one request and decides whether it is over the limit. */
  take(): RateDecision {
    const now = Date.now();
    if (now - this.windowStart >= this.periodMs) {
      this.windowStart = now - ((now - this.windowStart) % this.periodMs);
      this.used = 0;
    }
    this.used += 1;

    const resetAtMs = this.windowStart + this.periodMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((resetAtMs - now) / 1000));
    const reset = this.resetFormat === 'epoch' ? Math.ceil(resetAtMs / 1000) : retryAfterSeconds;
    return {
      limited: this.used > this.limit,
      retryAfterSeconds,
      headers: {
        'x-ratelimit-limit': String(this.limit),
        'x-ratelimit-remaining': String(Math.max(0, this.limit - this.used)),
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-period': String(this.periodMs / 1000),
      },
    };
  }
}
