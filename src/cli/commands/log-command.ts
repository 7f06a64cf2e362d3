import { existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { loadServiceConfig, type ServiceConfig } from '../../config/service-config.js';
import { createLogger } from '../../core/logger.js';
import { createJiraPortStream, type JiraPortStream } from '../../embedded.js';
import { SqliteEventLog } from '../../log/sqlite-event-log.js';

/**
 * Streams and environment of a command that works on the event log file
 * (`replay`, `dead-letters`). Tests pass their own.
 */
export interface CommandIo {
  readonly stdout: Writable;
  /** Receives usage errors and the JSON log lines of the pipeline. */
  readonly stderr: Writable;
  /** Environment variables that supply the configuration's secrets. */
  readonly env: NodeJS.ProcessEnv;
}

export const PROCESS_IO: CommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Invalid command-line options of a command; the command prints the message with its usage and exits with 2. */
export class CommandUsageError extends Error {
  override readonly name = 'CommandUsageError';
}

/** The configuration's event log and a pipeline on it that is not started, for commands that run work again. */
export interface CommandStream {
  readonly config: ServiceConfig;
  readonly log: SqliteEventLog;
  readonly stream: JiraPortStream;
  /** Stop the pipeline (Port batches are flushed) and close the log, which commits its pending writes. */
  close(): Promise<void>;
}

/**
 * Open the SQLite event log file that already exists at `path`. A command
 * never creates one, because a wrong path would otherwise create an empty
 * log and report that nothing is there.
 *
 * The command opens the file with a connection of its own while the service
 * may have it open. SQLite's WAL mode lets the command read while the
 * service writes, and the two processes' short write transactions wait for
 * each other (busy timeout 5 s). The command never appends deliveries and
 * never moves the checkpoint: both belong to the service.
 *
 * NOTE: the stale-write guard reads the written index and then writes to
 * Port, and across two processes these are not one step, so a command and
 * the service writing the same entity at once can leave the older state.
 */
export function openExistingLog(path: string): SqliteEventLog {
  if (path === ':memory:') {
    throw new CommandUsageError('The configuration keeps the event log in memory (eventLog.path: ":memory:"), so no file contains its deliveries and dead letters.');
  }
  if (!existsSync(path)) {
    throw new CommandUsageError(`No event log at ${path}. Pass the file the service writes: eventLog.path of its configuration.`);
  }
  return SqliteEventLog.open(path);
}

/**
 * Load the service configuration (secrets from `io.env`, as `serve` reads
 * them), open its event log and build the pipeline on it with the current
 * mapping, without starting the log tail. Log lines go to `io.stderr`.
 */
export async function openCommandStream(configPath: string, io: CommandIo): Promise<CommandStream> {
  const config = loadServiceConfig(configPath, io.env);
  const logger = createLogger({ level: config.logging.level, destination: io.stderr });
  const log = openExistingLog(config.eventLog.path);

  let stream: JiraPortStream;
  try {
    stream = await createJiraPortStream({
      jira: config.jira,
      port: config.port,
      ...(config.mapping !== undefined ? { mapping: { path: config.mapping } } : {}),
      webhook: { ...(config.webhook.secret !== undefined ? { secret: config.webhook.secret } : {}), allowUnsigned: config.webhook.allowUnsigned },
      eventLog: log,
      tuning: config.pipeline,
      logger,
    });
  } catch (error) {
    await log.close();
    throw error;
  }

  const close = async (): Promise<void> => {
    await stream.pipeline.stop(0);
    await log.close();
  };
  return { config, log, stream, close };
}

/** Parse a positive integer option such as an offset or an id, or throw `CommandUsageError` naming it. */
export function positiveInteger(option: string, value: string): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1) {
    throw new CommandUsageError(`Invalid ${option} "${value}": expected a positive integer.`);
  }
  return parsed;
}
