/**
 * Jittered exponential backoff for retries when no response header gives a
 * wait time: 5xx responses, network errors, timeouts, and 429s without
 * `Retry-After` or `X-RateLimit-Reset`. Atlassian's Jira Cloud rate-limiting
 * guidance recommends doubling delays with a ×0.7–1.3 jitter, so that clients
 * that failed together do not retry together.
 */

export interface BackoffOptions {
  /** Delay before the first retry, before jitter, in ms. Default 1000. */
  readonly baseMs?: number;
  /** Growth factor per retry. Default 2. */
  readonly factor?: number;
  /** Maximum delay in ms, applied after jitter. Default 30000. */
  readonly maxMs?: number;
  /** Lower and upper jitter multipliers. Default [0.7, 1.3]. */
  readonly jitter?: readonly [number, number];
}

export const DEFAULT_BACKOFF = { baseMs: 1000, factor: 2, maxMs: 30_000, jitter: [0.7, 1.3] } as const;

/**
 * Returns the delay in ms before retry number `retry` (1 for the first
 * retry): `baseMs × factor^(retry − 1) × jitter`, at most `maxMs`.
 * `random` returns a number in [0, 1) and picks the jitter multiplier.
 */
export function backoffDelayMs(retry: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const baseMs = options.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const factor = options.factor ?? DEFAULT_BACKOFF.factor;
  const maxMs = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const [lowJitter, highJitter] = options.jitter ?? DEFAULT_BACKOFF.jitter;

  const exponent = Math.max(0, retry - 1);
  const multiplier = lowJitter + (highJitter - lowJitter) * random();

  return Math.min(maxMs, baseMs * factor ** exponent * multiplier);
}
