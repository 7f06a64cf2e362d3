import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CONFIG_DEFAULTS } from '../../config/service-config.js';
import { EventLogOpenError } from '../../log/errors.js';
import { SqliteEventLog } from '../../log/sqlite-event-log.js';
import { parseCommandArgs, withOptionErrors, timeOption, type CommandIo } from '../../replay/cli-options.js';
import { ReplayOptionError } from '../../replay/errors.js';
import { exportRecording, type ReceiveWindow } from '../../replay/export-log.js';

export const EXPORT_USAGE =
  'export --config FILE --since ISO [--until ISO] [--include-signatures]\n' +
  '                             Write the deliveries of the event log received in\n' +
  '                             [since, until) to stdout as an NDJSON recording.\n' +
  '                             --log FILE reads an event log file instead of --config.';

/**
 * `export`: write a window of the durable event log as a recording that
 * `scripts/replay.ts` replays. Signatures are redacted unless
 * `--include-signatures` is given. Returns the exit code: 0, 1 when the
 * event log cannot be opened, or 2 for invalid options.
 */
export async function runExport(args: readonly string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const command = parseCommandArgs(() => parseExportArgs(args), `Usage: jira-port-stream ${EXPORT_USAGE}\n`, io);
  if ('exitCode' in command) return command.exitCode;
  const settings = command.args;

  let log: SqliteEventLog;
  try {
    log = SqliteEventLog.open(settings.logPath);
  } catch (error) {
    if (!(error instanceof EventLogOpenError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 1;
  }

  try {
    const count = await exportRecording(log, settings.window, io.stdout, { signatures: settings.signatures });
    io.stderr.write(`exported ${count} deliveries from ${settings.logPath}\n`);
  } finally {
    await log.close();
  }
  return 0;
}

function parseExportArgs(args: readonly string[]): { logPath: string; window: ReceiveWindow; signatures: boolean } {
  const { values } = withOptionErrors(() => parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      config: { type: 'string', short: 'c' },
      log: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      'include-signatures': { type: 'boolean', default: false },
    },
  }));

  const since = timeOption('since', values.since);
  if (since === undefined) throw new ReplayOptionError('--since', 'export needs --since ISO, such as --since 2026-01-05T09:00:00Z.');
  const until = timeOption('until', values.until);
  if (until !== undefined && until <= since) {
    throw new ReplayOptionError('--until', `--until ${values.until} is not after --since ${values.since}; pass a later --until.`);
  }

  return {
    logPath: eventLogPath(values.config, values.log),
    window: until === undefined ? { since } : { since, until },
    signatures: values['include-signatures'] === true,
  };
}

/** Resolve the event log file from `--log`, or from `eventLog.path` of the `--config` file as `serve` does. */
function eventLogPath(configPath: string | undefined, logPath: string | undefined): string {
  if ((configPath === undefined) === (logPath === undefined)) {
    throw new ReplayOptionError('--config', 'export needs exactly one of --config FILE (the service configuration) or --log FILE (an event log file).');
  }
  const path = logPath ?? eventLogPathOfConfig(configPath as string);
  if (!existsSync(path)) {
    throw new ReplayOptionError('--log', `No event log at ${path}; pass the file that the service writes (eventLog.path).`);
  }
  return path;
}

function eventLogPathOfConfig(configPath: string): string {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(configPath, 'utf8'));
  } catch (error) {
    throw new ReplayOptionError('--config', `Cannot read the configuration ${configPath}: ${error instanceof Error ? error.message : String(error)}.`);
  }

  const eventLog = typeof document === 'object' && document !== null ? (document as Record<string, unknown>)['eventLog'] : undefined;
  const configured = typeof eventLog === 'object' && eventLog !== null ? (eventLog as Record<string, unknown>)['path'] : undefined;
  if (configured !== undefined && typeof configured !== 'string') {
    throw new ReplayOptionError('--config', `eventLog.path in ${configPath} is not a string; set it to the event log file.`);
  }
  if (configured === ':memory:') {
    throw new ReplayOptionError('--config', `The service of ${configPath} keeps its event log in memory (eventLog.path: ":memory:"), so there is no file to export.`);
  }

  const path = configured ?? CONFIG_DEFAULTS.eventLogPath;
  return isAbsolute(path) ? path : resolve(dirname(resolve(configPath)), path);
}
