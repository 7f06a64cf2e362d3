import { InvalidInputError } from './errors.js';

/**
 * Formats epoch milliseconds the way Jira Cloud formats `created` and
 * `updated`: `2026-12-04T13:00:00.000+0000` (always UTC in the simulator).
 */
export function formatJiraTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

/**
 * Parses a timestamp given to the simulator: Jira's format (`+0000` offset)
 * or any ISO-8601 string. Returns epoch milliseconds.
 */
export function parseTimestamp(value: string, field: string): number {
  const isoOffset = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const epochMs = Date.parse(isoOffset);
  if (Number.isNaN(epochMs)) {
    throw new InvalidInputError(`Invalid ${field} "${value}"; use ISO-8601 such as 2026-12-04T13:00:00.000+0000.`);
  }
  return epochMs;
}

/**
 * A millisecond clock that never returns the same value twice, so that an
 * issue's `updated` strictly increases even when two changes fall in the
 * same millisecond.
 */
export class MonotonicClock {
  private last = 0;

  now(): number {
    this.last = Math.max(Date.now(), this.last + 1);
    return this.last;
  }

  /** Moves the clock past `epochMs`, for data loaded with explicit timestamps. */
  observe(epochMs: number): void {
    this.last = Math.max(this.last, epochMs);
  }
}
