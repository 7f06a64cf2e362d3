/**
 * Server wait hints for retries. Port sends `Retry-After` on some 429 and 503
 * responses, and `x-ratelimit-reset` on every response. Port's docs give two
 * meanings for `x-ratelimit-reset`: "UTC epoch seconds" (docs repository,
 * January 2026) and "seconds before the rate limit is reset" (docs.port.io),
 * so a number above 10^9 (September 2001 as an epoch) is read as an epoch
 * and smaller numbers as seconds. Ocean's retry transport treats numbers
 * above 10^4 as epochs, which would misread a 5-hour reset.
 */

const EPOCH_THRESHOLD_SECONDS = 1e9;

/**
 * Parses a wait hint into milliseconds from `now` (epoch ms). Accepts delay
 * seconds, epoch seconds and HTTP or ISO dates. Returns undefined when the
 * value is absent or unreadable, and 0 for an instant in the past.
 */
export function parseWaitHintMs(value: string | null, now: number): number | undefined {
  const text = value?.trim();
  if (!text) {
    return undefined;
  }

  if (/^\d+(\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    const waitMs = seconds > EPOCH_THRESHOLD_SECONDS ? seconds * 1000 - now : seconds * 1000;
    return Math.max(0, waitMs);
  }

  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Returns the server's requested wait before retrying `status`, or undefined.
 * `Retry-After` counts for any status. `x-ratelimit-reset` counts only for
 * 429, because Port sends it on every response and on a 5xx it only says
 * when the rate-limit window ends.
 */
export function serverWaitMs(status: number, headers: Headers, now: number): number | undefined {
  const retryAfter = parseWaitHintMs(headers.get('retry-after'), now);
  if (retryAfter !== undefined || status !== 429) {
    return retryAfter;
  }
  return parseWaitHintMs(headers.get('x-ratelimit-reset'), now);
}
