import { setTimeout as sleepFor } from 'node:timers/promises';

import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import { readRateLimitHeaders, scopeOfReason, type PauseScope } from './rate-limit-headers.js';
import { Semaphore } from './semaphore.js';

/** Time source and sleep, replaceable by a fake clock in tests. */
export interface Clock {
  /** Current time in epoch ms. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => sleepFor(ms),
};

export interface JiraRateLimiterOptions {
  /** Maximum requests in flight to the site. Default 8. */
  readonly concurrency?: number;
  /** Backoff for retries when no header gives a wait time. */
  readonly backoff?: BackoffOptions;
  /**
   * Minimum ms between request starts while Jira reports NearLimit. Default 100.
   * NOTE: the default is a guess. NearLimit does not say how far to slow down.
   */
  readonly nearLimitIntervalMs?: number;
  /** Length in ms of the burst window that `X-RateLimit-Limit` counts requests in. Default 1000 (Jira Cloud's burst limits are per second). */
  readonly windowMs?: number;
  /** Maximum pause in ms that one header can impose, a guard against clock skew. Default 3600000 (quota windows are hourly). */
  readonly maxPauseMs?: number;
  readonly clock?: Clock;
  /** Source of random numbers in [0, 1) for the backoff jitter. */
  readonly random?: () => number;
}

/** A time before which requests wait, and why. */
export interface Pause {
  /** Epoch ms. */
  readonly until: number;
  /** The `RateLimit-Reason` value, `rate-limited` when the 429 had none, or `remaining-exhausted`. */
  readonly reason: string;
}

/** Count and total duration of the waits for one reason. */
export interface WaitCounter {
  readonly waits: number;
  readonly totalWaitMs: number;
}

/**
 * Limiter counters. `waits` is keyed by reason: a `RateLimit-Reason` value,
 * `rate-limited`, `remaining-exhausted`, `near-limit`, `backoff` or `concurrency`.
 */
export interface RateLimiterStats {
  readonly waits: Readonly<Record<string, WaitCounter>>;
  readonly inFlight: number;
  readonly queued: number;
  readonly nearLimit: boolean;
}

/** Releases a concurrency slot taken by `acquire`. Calling it twice has no effect. */
export type ReleaseSlot = () => void;

/**
 * One rate limiter per Jira site, shared by every client and worker that
 * calls that site, because Jira's burst buckets and quotas are per tenant.
 *
 * It bounds concurrency, and it learns from every response:
 * - a 429 or 503 with `Retry-After` or `X-RateLimit-Reset` pauses the
 *   endpoint (burst and per-issue-write reasons) or the whole site (quota,
 *   cost, missing or unknown reason) until that time. `Retry-After` wins
 *   when both are present.
 * - `X-RateLimit-Remaining: 0` on any other response pauses that endpoint
 *   until `X-RateLimit-Reset`. Without a reset time it pauses for one
 *   token's share of the window (`windowMs / X-RateLimit-Limit`), or for
 *   the whole window when the limit is missing too.
 * - `X-RateLimit-NearLimit: true` spaces request starts
 *   `nearLimitIntervalMs` apart until a response arrives without it.
 * Retries without such a header wait a jittered exponential backoff.
 */
export class JiraRateLimiter {
  readonly #slots: Semaphore;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #backoff: BackoffOptions;
  readonly #nearLimitIntervalMs: number;
  readonly #windowMs: number;
  readonly #maxPauseMs: number;

  #sitePause: Pause | undefined;
  readonly #endpointPauses = new Map<string, Pause>();
  #nearLimit = false;
  #nextStartAt = 0;
  readonly #waits = new Map<string, { waits: number; totalWaitMs: number }>();

  constructor(options: JiraRateLimiterOptions = {}) {
    this.#slots = new Semaphore(options.concurrency ?? 8);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#backoff = options.backoff ?? {};
    this.#nearLimitIntervalMs = options.nearLimitIntervalMs ?? 100;
    this.#windowMs = options.windowMs ?? 1000;
    this.#maxPauseMs = options.maxPauseMs ?? 3_600_000;
  }

  /** Maximum requests in flight. */
  get concurrency(): number {
    return this.#slots.permits;
  }

  /**
   * Waits until `endpoint` (`"METHOD /path/template"`) may send a request,
   * then takes a concurrency slot. Waits for active pauses first, and again
   * when a pause started while the caller waited for a slot.
   */
  async acquire(endpoint: string): Promise<ReleaseSlot> {
    for (;;) {
      await this.#waitForPauses(endpoint);
      await this.#takeSlot();

      if (this.pauseOf(endpoint) === undefined) {
        await this.#spaceStartWhileNearLimit();
        return this.#releaseOnce();
      }
      this.#slots.release();
    }
  }

  /** Updates the limiter from one response to `endpoint`. Call it for every response, failed ones too. */
  observe(endpoint: string, status: number, headers: Headers): void {
    const now = this.#clock.now();
    const signal = readRateLimitHeaders(headers, now);
    this.#nearLimit = signal.nearLimit;

    if (status === 429 || status === 503) {
      const until = signal.retryAt ?? signal.resetAt;
      if (until !== undefined) {
        this.#pause(scopeOfReason(signal.reason), endpoint, { until, reason: signal.reason ?? 'rate-limited' });
      }
      return;
    }

    if (signal.remaining !== undefined && signal.remaining <= 0) {
      const until = signal.resetAt ?? now + this.#refillMs(signal.limit);
      this.#pause('endpoint', endpoint, { until, reason: 'remaining-exhausted' });
    }
  }

  /**
   * Waits before retry number `retry` (1 for the first retry) of a request to
   * `endpoint`. When a pause is active the next `acquire` already waits for
   * it, so this returns at once. Otherwise it sleeps the jittered backoff.
   */
  async waitBeforeRetry(endpoint: string, retry: number): Promise<void> {
    if (this.pauseOf(endpoint) !== undefined) {
      return;
    }

    await this.#sleep(backoffDelayMs(retry, this.#backoff, this.#random), 'backoff');
  }

  /** Returns the pause that applies to `endpoint` now (the later of site and endpoint pause), if any. */
  pauseOf(endpoint: string): Pause | undefined {
    const now = this.#clock.now();
    const site = this.#sitePause !== undefined && this.#sitePause.until > now ? this.#sitePause : undefined;
    const own = this.#endpointPauses.get(endpoint);
    const active = own !== undefined && own.until > now ? own : undefined;

    if (own !== undefined && active === undefined) {
      this.#endpointPauses.delete(endpoint);
    }
    if (site === undefined || active === undefined) {
      return site ?? active;
    }

    return site.until >= active.until ? site : active;
  }

  stats(): RateLimiterStats {
    return {
      waits: Object.fromEntries([...this.#waits].map(([reason, counter]) => [reason, { ...counter }])),
      inFlight: this.#slots.inUse,
      queued: this.#slots.waiting,
      nearLimit: this.#nearLimit,
    };
  }

  /** Extends the pause of the scope to `pause.until`. A pause never moves earlier. */
  #pause(scope: PauseScope, endpoint: string, pause: Pause): void {
    const now = this.#clock.now();
    const until = Math.min(pause.until, now + this.#maxPauseMs);
    if (until <= now) {
      return;
    }

    const current = scope === 'site' ? this.#sitePause : this.#endpointPauses.get(endpoint);
    if (current !== undefined && current.until >= until) {
      return;
    }

    const next = { until, reason: pause.reason };
    if (scope === 'site') {
      this.#sitePause = next;
    } else {
      this.#endpointPauses.set(endpoint, next);
    }
  }

  /**
   * Estimates the wait for one request to become available again. Jira's
   * burst limits are token buckets refilled over one window, so a known
   * limit gives one token's share of the window, and an unknown one the
   * whole window.
   */
  #refillMs(limit: number | undefined): number {
    return limit !== undefined && limit > 0 ? Math.ceil(this.#windowMs / limit) : this.#windowMs;
  }

  async #waitForPauses(endpoint: string): Promise<void> {
    for (let pause = this.pauseOf(endpoint); pause !== undefined; pause = this.pauseOf(endpoint)) {
      await this.#sleep(pause.until - this.#clock.now(), pause.reason);
    }
  }

  async #takeSlot(): Promise<void> {
    if (this.#slots.tryAcquire()) {
      return;
    }

    const startedAt = this.#clock.now();
    await this.#slots.acquire();
    this.#count('concurrency', this.#clock.now() - startedAt);
  }

  /** While Jira reports NearLimit, reserves the next start time and waits for it. */
  async #spaceStartWhileNearLimit(): Promise<void> {
    if (!this.#nearLimit) {
      return;
    }

    const now = this.#clock.now();
    const startAt = Math.max(now, this.#nextStartAt);
    this.#nextStartAt = startAt + this.#nearLimitIntervalMs;
    if (startAt > now) {
      await this.#sleep(startAt - now, 'near-limit');
    }
  }

  #releaseOnce(): ReleaseSlot {
    let released = false;

    return () => {
      if (!released) {
        released = true;
        this.#slots.release();
      }
    };
  }

  async #sleep(ms: number, reason: string): Promise<void> {
    const duration = Math.max(0, Math.ceil(ms));
    this.#count(reason, duration);
    await this.#clock.sleep(duration);
  }

  #count(reason: string, ms: number): void {
    const counter = this.#waits.get(reason) ?? { waits: 0, totalWaitMs: 0 };
    counter.waits += 1;
    counter.totalWaitMs += ms;
    this.#waits.set(reason, counter);
  }
}
