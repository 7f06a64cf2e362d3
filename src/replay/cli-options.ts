import type { Writable } from 'node:stream';
import { ReplayOptionError } from './errors.js';

/** The output and message streams of a command. */
export interface CommandIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/**
 * Run a script's command with the process's streams and set the exit code.
 * Errors of the replay tools print their message; any other error prints
 * its stack, because it is a bug.
 */
export function runScript(command: (args: readonly string[], io: CommandIo) => Promise<number>): void {
  command(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const known = error instanceof Error && KNOWN_ERRORS.has(error.name);
      process.stderr.write(`${known ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/** Errors a user can fix from their message alone. */
const KNOWN_ERRORS = new Set([
  'RecordingFormatError',
  'ReplayFileError',
  'ReplayOptionError',
  'StateFileError',
  'StateMismatchError',
  'SimulatorRequestError',
  'EventLogOpenError',
]);

/**
 * Parse a command's arguments with `parse`. For `--help` (`parse` returns
 * 'help') print `usage` and exit with 0; for a `ReplayOptionError` print
 * its message and `usage` on stderr and exit with 2.
 */
export function parseCommandArgs<T>(parse: () => T | 'help', usage: string, io: CommandIo): { readonly args: T } | { readonly exitCode: number } {
  let parsed: T | 'help';
  try {
    parsed = parse();
  } catch (error) {
    if (!(error instanceof ReplayOptionError)) throw error;
    io.stderr.write(`${error.message}\n\n${usage}`);
    return { exitCode: 2 };
  }
  if (parsed === 'help') {
    io.stdout.write(usage);
    return { exitCode: 0 };
  }
  return { args: parsed };
}

/** Run `parseArgs` inside `parse`, turning its errors (unknown option, missing value) into `ReplayOptionError`. */
export function withOptionErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ReplayOptionError) throw error;
    throw new ReplayOptionError('(arguments)', error instanceof Error ? error.message : String(error));
  }
}

/** Parse a numeric option; undefined stays undefined. Throws `ReplayOptionError` naming the option. */
export function numberOption(name: string, value: string | undefined, kind: 'integer' | 'number' = 'number'): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || (kind === 'integer' && !Number.isSafeInteger(parsed))) {
    throw new ReplayOptionError(`--${name}`, `Invalid --${name} "${value}": expected ${kind === 'integer' ? 'an integer' : 'a number'}.`);
  }
  return parsed;
}

/** Parse an ISO-8601 time option into epoch milliseconds. */
export function timeOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const epochMs = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(epochMs)) {
    throw new ReplayOptionError(`--${name}`, `Invalid --${name} "${value}": expected an ISO-8601 time such as 2026-01-05T09:00:00Z.`);
  }
  return epochMs;
}
