import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Field paths redacted from every log line, whatever a caller passes in.
 * Secrets should never be handed to the logger; this is the second line.
 */
export const REDACTED_PATHS = [
  'apiToken', '*.apiToken', 'clientSecret', '*.clientSecret', 'secret', '*.secret',
  'token', '*.token', 'password', '*.password', 'authorization', '*.authorization',
  'headers.authorization', 'headers["x-hub-signature"]', 'accessToken', '*.accessToken',
];

export interface LoggerSettings {
  readonly level?: string;
  /** Human-readable lines for terminals instead of JSON lines. */
  readonly pretty?: boolean;
  /** Write to this stream instead of stdout (tests capture logs this way). */
  readonly destination?: NodeJS.WritableStream;
}

/** Create the root logger: JSON lines on stdout unless `pretty` is set. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env['LOG_LEVEL'] ?? 'info',
    base: { service: 'jira-port-stream' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (settings.pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: process.stdout.isTTY === true, destination: 1 } } });
  }
  if (settings.destination) {
    return pino(options, settings.destination as DestinationStream);
  }
  return pino(options);
}

/** A logger that drops everything, for hosts and tests that do not want logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
