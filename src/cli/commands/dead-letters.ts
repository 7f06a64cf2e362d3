import { parseArgs } from 'node:util';
import { lastValueFrom, tap } from 'rxjs';
import { loadServiceConfig } from '../../config/service-config.js';
import type { DeadLetterListOptions } from '../../log/dead-letters.js';
import { DeadLetterNotFoundError } from '../../log/errors.js';
import type { SqliteEventLog } from '../../log/sqlite-event-log.js';
import { redriveDeadLetters, waitingDeadLetterIds, type RedriveOutcome } from '../../pipeline/redrive.js';
import { describeDeadLetter, formatDeadLetterTable, formatRedriveOutcome } from './dead-letter-format.js';
import { CommandUsageError, openCommandStream, openExistingLog, positiveInteger, PROCESS_IO, type CommandIo } from './log-command.js';

export const DEAD_LETTERS_USAGE =
  'dead-letters (--config FILE | --log FILE) ACTION\n' +
  '                             Manage failed work kept in the event log. ACTION is one of\n' +
  '                             list [--all] [--processor NAME] [--after ID] [--limit N] [--json]\n' +
  '                             show ID [--body]\n' +
  '                             redrive (ID... | --all)   re-run with the current config;\n' +
  '                                                       needs --config and its secrets\n' +
  '                             drop ID\n' +
  '                             --log FILE names the event log file without loading the\n' +
  '                             configuration, so list, show and drop need no secrets.';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  log: { type: 'string' },
  all: { type: 'boolean', default: false },
  processor: { type: 'string' },
  after: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean', default: false },
  body: { type: 'boolean', default: false },
} as const;

type Action = 'list' | 'show' | 'redrive' | 'drop';

interface DeadLetterArguments {
  readonly action: Action;
  readonly ids: readonly number[];
  readonly configPath?: string;
  readonly logPath?: string;
  /** `redrive --all`. */
  readonly all: boolean;
  readonly listOptions: DeadLetterListOptions;
  /** `list --json`. */
  readonly json: boolean;
  /** `show --body`. */
  readonly body: boolean;
}

/**
 * `dead-letters`: list, show, redrive and drop dead letters in the event
 * log file, also while the service runs (see `openExistingLog`). Returns 0,
 * 1 when an id is unknown or a redrive failed again, or 2 for invalid options.
 */
export async function runDeadLetters(args: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  let parsed: DeadLetterArguments;
  try {
    parsed = parseDeadLetterArgs(args);
  } catch (error) {
    if (!(error instanceof CommandUsageError)) throw error;
    io.stderr.write(`${error.message}\n\nUsage: jira-port-stream ${DEAD_LETTERS_USAGE}\n`);
    return 2;
  }

  if (parsed.action === 'redrive') return redrive(parsed, io);

  const log = openExistingLog(parsed.logPath ?? loadServiceConfig(parsed.configPath as string, io.env).eventLog.path);
  try {
    if (parsed.action === 'list') return list(log, parsed, io);
    if (parsed.action === 'show') return show(log, parsed.ids[0] as number, parsed.body, io);
    return drop(log, parsed.ids[0] as number, io);
  } finally {
    await log.close();
  }
}

function list(log: SqliteEventLog, parsed: DeadLetterArguments, io: CommandIo): number {
  const entries = log.deadLetters.list(parsed.listOptions);

  if (parsed.json) {
    io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(formatDeadLetterTable(entries));
  io.stdout.write(`${log.deadLetters.count()} dead letter(s) waiting for a redrive in ${log.path}.\n`);
  return 0;
}

function show(log: SqliteEventLog, id: number, withBody: boolean, io: CommandIo): number {
  const deadLetter = log.deadLetters.get(id);
  if (deadLetter === undefined) return reportNotFound(id, io);

  const delivery = log.readAfter(deadLetter.offset - 1, 1).find((candidate) => candidate.offset === deadLetter.offset);
  io.stdout.write(`${JSON.stringify(describeDeadLetter(deadLetter, delivery, withBody), null, 2)}\n`);
  return 0;
}

function drop(log: SqliteEventLog, id: number, io: CommandIo): number {
  if (!log.deadLetters.drop(id)) return reportNotFound(id, io);
  io.stdout.write(`Dropped dead letter ${id}.\n`);
  return 0;
}

/** Re-run the named dead letters (or every waiting one), print one line each, then a summary. */
async function redrive(parsed: DeadLetterArguments, io: CommandIo): Promise<number> {
  if (parsed.configPath === undefined) {
    io.stderr.write(`redrive needs --config FILE: it calls Jira and Port with the configuration's secrets.\n\nUsage: jira-port-stream ${DEAD_LETTERS_USAGE}\n`);
    return 2;
  }

  const opened = await openCommandStream(parsed.configPath, io);
  try {
    const { log, stream } = opened;
    const ids = parsed.all ? waitingDeadLetterIds(log.deadLetters) : parsed.ids;
    const context = { pipeline: stream.pipeline, log, deadLetters: log.deadLetters, mapping: stream.mapping };

    const outcomes: RedriveOutcome[] = [];
    const run = redriveDeadLetters(context, ids).pipe(
      tap((outcome) => {
        outcomes.push(outcome);
        if ('report' in outcome) log.results.record(outcome.report.result);
        io.stdout.write(`${formatRedriveOutcome(outcome)}\n`);
      }),
    );
    await lastValueFrom(run, { defaultValue: undefined });

    const redriven = outcomes.filter((outcome) => 'report' in outcome && outcome.report.redriven).length;
    io.stdout.write(`Re-drove ${redriven} of ${ids.length} dead letter(s); ${log.deadLetters.count()} still waiting.\n`);
    return redriven === ids.length ? 0 : 1;
  } finally {
    await opened.close();
  }
}

function parseDeadLetterArgs(args: readonly string[]): DeadLetterArguments {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
  } catch (error) {
    throw new CommandUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;

  if ((values.config === undefined) === (values.log === undefined)) {
    throw new CommandUsageError('dead-letters needs exactly one of --config FILE (the service configuration) or --log FILE (the event log file).');
  }
  if (action !== 'list' && action !== 'show' && action !== 'redrive' && action !== 'drop') {
    throw new CommandUsageError(`Unknown or missing action "${action ?? ''}": expected list, show ID, redrive (ID... | --all) or drop ID.`);
  }

  const ids = rest.map((id) => positiveInteger('dead letter id', id));
  checkIds(action, ids, values.all === true);
  return {
    action,
    ids,
    ...(values.config !== undefined ? { configPath: values.config } : {}),
    ...(values.log !== undefined ? { logPath: values.log } : {}),
    all: values.all === true,
    listOptions: {
      includeRedriven: values.all === true,
      ...(values.processor !== undefined ? { processor: values.processor } : {}),
      ...(values.after !== undefined ? { afterId: positiveInteger('--after', values.after) } : {}),
      ...(values.limit !== undefined ? { limit: positiveInteger('--limit', values.limit) } : {}),
    },
    json: values.json === true,
    body: values.body === true,
  };
}

function checkIds(action: Action, ids: readonly number[], all: boolean): void {
  if (action === 'list' && ids.length > 0) throw new CommandUsageError('list takes no id; use show ID for one dead letter.');
  if ((action === 'show' || action === 'drop') && ids.length !== 1) throw new CommandUsageError(`${action} needs exactly one dead letter id.`);
  if (action === 'redrive' && (ids.length > 0) === all) throw new CommandUsageError('redrive needs dead letter ids or --all, not both.');
}

/** Print that no dead letter has this id, and return exit code 1. */
function reportNotFound(id: number, io: CommandIo): number {
  io.stderr.write(`${new DeadLetterNotFoundError(id).message}\n`);
  return 1;
}
