import { JqlValidationError } from './errors.js';

const UNIT_MS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

const RELATIVE = /^([-+]?)((?:\d+[wdhm]\s*)+)$/i;
const ABSOLUTE = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:\s+(\d{2}):(\d{2}))?$/;

/**
 * Resolves a JQL date operand to epoch milliseconds: a period relative to
 * `now` (`-1w`, `-2d`, `-3h`, `-30m`, `4w2d`) or an absolute date
 * (`2026-12-01`, `2026/12/01 10:30`). The simulator reads absolute dates
 * in UTC, where Jira uses the searching user's time zone.
 */
export function resolveJqlDate(text: string, field: string, now: number): number {
  const trimmed = text.trim();

  const relative = RELATIVE.exec(trimmed);
  if (relative !== null) {
    const sign = relative[1] === '-' ? -1 : 1;
    let offset = 0;
    for (const part of (relative[2] ?? '').matchAll(/(\d+)([wdhm])/gi)) {
      offset += Number(part[1]) * (UNIT_MS[(part[2] ?? '').toLowerCase()] ?? 0);
    }
    return now + sign * offset;
  }

  const absolute = ABSOLUTE.exec(trimmed);
  if (absolute !== null) {
    const [, year, month, day, hour, minute] = absolute;
    const epochMs = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0));
    if (!Number.isNaN(epochMs)) return epochMs;
  }

  throw new JqlValidationError(
    `Date value '${text}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', ` +
      `'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format such as '-5d' or '4w2d'.`,
  );
}
