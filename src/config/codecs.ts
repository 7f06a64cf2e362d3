import * as t from 'io-ts';

/**
 * io-ts codecs for configuration values. Each codec's `name` completes the
 * sentence "expected ..." in error messages, so it reads as a noun phrase.
 */

function refinedNumber(name: string, accepts: (value: number) => boolean): t.Type<number, number, unknown> {
  const is = (value: unknown): value is number => typeof value === 'number' && accepts(value);
  return new t.Type<number, number, unknown>(name, is, (value, context) => (is(value) ? t.success(value) : t.failure(value, context)), t.identity);
}

export const PositiveInt = refinedNumber('a positive integer', (value) => Number.isInteger(value) && value > 0);

export const NonNegativeInt = refinedNumber('a non-negative integer', (value) => Number.isInteger(value) && value >= 0);

export const TcpPort = intBetween(0, 65_535, 'a TCP port from 0 to 65535');

/** Creates a codec for an integer from `min` to `max`, both included. */
export function intBetween(min: number, max: number, name = `an integer from ${min} to ${max}`): t.Type<number, number, unknown> {
  return refinedNumber(name, (value) => Number.isInteger(value) && value >= min && value <= max);
}

export const NonEmptyString = new t.Type<string, string, unknown>(
  'a non-empty string',
  (value): value is string => typeof value === 'string' && value.trim() !== '',
  (value, context) => (typeof value === 'string' && value.trim() !== '' ? t.success(value.trim()) : t.failure(value, context)),
  t.identity,
);

/** An absolute http or https URL. Trailing slashes are removed, so paths can be appended. */
export const HttpUrl = new t.Type<string, string, unknown>(
  'an absolute http(s) URL',
  (value): value is string => typeof value === 'string',
  (value, context) => {
    if (typeof value !== 'string' || !URL.canParse(value)) return t.failure(value, context);
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:' ? t.success(value.replace(/\/+$/, '')) : t.failure(value, context);
  },
  t.identity,
);

/** pino's level names, plus `silent`, which turns logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

export const LogLevelCodec = new t.Type<LogLevel, LogLevel, unknown>(
  `one of ${LOG_LEVELS.join(', ')}`,
  (value): value is LogLevel => (LOG_LEVELS as readonly unknown[]).includes(value),
  (value, context) => ((LOG_LEVELS as readonly unknown[]).includes(value) ? t.success(value as LogLevel) : t.failure(value, context)),
  t.identity,
);
