/**
 * Parsers for Jira Cloud's rate-limit response headers, whose meaning
 * Atlassian documents on its Jira platform "Rate limiting" page:
 *
 * - `Retry-After`: seconds, or an HTTP date (RFC 9110 allows both).
 * - `X-RateLimit-Reset`: an ISO-8601 instant such as `2026-03-26T16:00Z`
 *   (minutes without seconds), sent on 429s.
 * - `X-RateLimit-Limit` and `X-RateLimit-Remaining`: the window's request
 *   limit and the requests left in it (per second for burst limits).
 * - `X-RateLimit-NearLimit: true`: less than 20% of the quota remains.
 * - `RateLimit-Reason`: which limiter rejected the request (429 only).
 */

/** Values of `RateLimit-Reason` that Atlassian documents or partners have reported. */
export type RateLimitReason =
  | 'jira-burst-based'
  | 'jira-per-issue-on-write'
  | 'jira-quota-global-based'
  | 'jira-quota-tenant-based'
  | 'jira-cost-based';

/** Rate-limit state read from one response. Times are epoch ms. */
export interface RateLimitSignal {
  /** Earliest time for the next request, from `Retry-After`. */
  readonly retryAt?: number;
  /** Reset time of the rate-limit window, from `X-RateLimit-Reset`. */
  readonly resetAt?: number;
  readonly limit?: number;
  readonly remaining?: number;
  readonly nearLimit: boolean;
  /** `RateLimit-Reason` as sent, lower-cased. */
  readonly reason?: string;
}

/**
 * Scope of a rate-limit rejection: only the same method and path
 * (`endpoint`), or every call to the Jira site (`site`).
 */
export type PauseScope = 'endpoint' | 'site';

const ENDPOINT_REASONS = new Set<string>(['jira-burst-based', 'jira-per-issue-on-write']);
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Reads the rate-limit headers of one response; `now` is the current epoch ms. */
export function readRateLimitHeaders(headers: Headers, now: number): RateLimitSignal {
  const retryAt = parseRetryAfter(headers.get('retry-after'), now);
  const resetAt = parseIsoInstant(headers.get('x-ratelimit-reset'));
  const limit = parseCount(headers.get('x-ratelimit-limit'));
  const remaining = parseCount(headers.get('x-ratelimit-remaining'));
  const reason = headers.get('ratelimit-reason')?.trim().toLowerCase();

  return {
    ...(retryAt === undefined ? {} : { retryAt }),
    ...(resetAt === undefined ? {} : { resetAt }),
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    nearLimit: headers.get('x-ratelimit-nearlimit')?.trim().toLowerCase() === 'true',
    ...(reason ? { reason } : {}),
  };
}

/**
 * Returns the scope that a 429 with this `RateLimit-Reason` applies to.
 * Burst and per-issue-write limits are kept per endpoint, so only that
 * endpoint waits. Quota and cost limits cover the whole site. A missing or
 * unknown reason is treated as site-wide, because Jira's gateway-level 429s
 * carry no reason and waiting everywhere is the safe side.
 */
export function scopeOfReason(reason: string | undefined): PauseScope {
  return reason !== undefined && ENDPOINT_REASONS.has(reason) ? 'endpoint' : 'site';
}

/** Parses `Retry-After` (delay seconds or HTTP date) into an epoch-ms instant. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  const text = value?.trim();
  if (!text) {
    return undefined;
  }

  if (/^\d+(\.\d+)?$/.test(text)) {
    return now + Number(text) * 1000;
  }

  const date = Date.parse(text);

  return Number.isNaN(date) ? undefined : date;
}

/**
 * Parses an ISO-8601 instant with optional seconds and fraction, such as
 * `2026-03-26T16:00Z`. A missing zone is read as UTC. Returns epoch ms.
 */
export function parseIsoInstant(value: string | null): number | undefined {
  const match = ISO_INSTANT.exec(value?.trim() ?? '');
  if (!match) {
    return undefined;
  }

  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const utc = Date.UTC(
    Number(year), Number(month) - 1, Number(day),
    Number(hour), Number(minute), Number(second ?? 0), Number((fraction ?? '0').padEnd(3, '0')),
  );

  return Number.isNaN(utc) ? undefined : utc - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') {
    return 0;
  }

  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');

  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

function parseCount(value: string | null): number | undefined {
  const text = value?.trim();
  if (!text || !/^-?\d+$/.test(text)) {
    return undefined;
  }

  return Number(text);
}
