import { parseArgs } from 'node:util';
import { lastValueFrom, tap } from 'rxjs';
import { OUTCOMES, type Outcome, type ProcessedResult } from '../../core/results.js';
import { markRedoneWork } from '../../pipeline/redrive.js';
import { replayDeliveries } from '../../pipeline/replay.js';
import { CommandUsageError, openCommandStream, positiveInteger, PROCESS_IO, type CommandIo, type CommandStream } from './log-command.js';

export const REPLAY_USAGE =
  'replay --config FILE (--from OFFSET | --since ISO-TIME) [--to OFFSET]\n' +
  '                             Process logged deliveries again with the current\n' +
  '                             mapping, from an offset (included) or from the first\n' +
  '                             delivery received at or after a time, up to --to or the\n' +
  '                             newest delivery. Exits 1 when any of them failed.';

interface ReplayArguments {
  readonly configPath: string;
  readonly from: { readonly offset: number } | { readonly since: number };
  readonly toOffset?: number;
}

/**
 * `replay`: re-process logged deliveries without receiving them again, for
 * example after a mapping change. Each result replaces the delivery's
 * stored processed result (what the feed resumes from). Failed work goes
 * to the dead letters as in the service, and a waiting dead letter whose
 * work now succeeded is marked re-driven. Returns 0, 1 when a delivery
 * failed or was dead-lettered, or 2 for invalid options.
 */
export async function runReplay(args: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  let parsed: ReplayArguments;
  try {
    parsed = parseReplayArgs(args);
  } catch (error) {
    if (!(error instanceof CommandUsageError)) throw error;
    io.stderr.write(`${error.message}\n\nUsage: jira-port-stream ${REPLAY_USAGE}\n`);
    return 2;
  }

  const opened = await openCommandStream(parsed.configPath, io);
  try {
    return await replay(opened, parsed, io);
  } finally {
    await opened.close();
  }
}

async function replay(opened: CommandStream, parsed: ReplayArguments, io: CommandIo): Promise<number> {
  const { log, stream } = opened;
  const fromOffset = 'offset' in parsed.from ? parsed.from.offset : log.firstOffsetReceivedSince(parsed.from.since);
  const toOffset = Math.min(parsed.toOffset ?? log.headOffset(), log.headOffset());
  if (fromOffset === undefined || fromOffset > toOffset) {
    io.stdout.write(`Nothing to replay: the event log ${log.path} has no delivery in that range (newest offset ${log.headOffset()}).\n`);
    return 0;
  }

  const counts = new Map<Outcome, number>(OUTCOMES.map((outcome) => [outcome, 0]));
  const redriven: number[] = [];
  const results = replayDeliveries(stream.pipeline, log, { fromOffset, toOffset }).pipe(
    tap((result) => {
      log.results.record(result);
      redriven.push(...markRedoneWork(log.deadLetters, result));
      counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
      if (isFailure(result)) io.stdout.write(`${describeFailure(result)}\n`);
    }),
  );
  await lastValueFrom(results, { defaultValue: undefined });

  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  const summary = OUTCOMES.map((outcome) => `${outcome} ${counts.get(outcome) ?? 0}`).join(', ');
  io.stdout.write(`Replayed ${total} delivery(ies) (offsets ${fromOffset} to ${toOffset}) with the current mapping: ${summary}.\n`);
  if (redriven.length > 0) io.stdout.write(`Marked ${redriven.length} dead letter(s) re-driven, because their work succeeded: ${redriven.join(', ')}.\n`);
  return (counts.get('failed') ?? 0) + (counts.get('dead-lettered') ?? 0) > 0 ? 1 : 0;
}

function parseReplayArgs(args: readonly string[]): ReplayArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { config: { type: 'string', short: 'c' }, from: { type: 'string' }, since: { type: 'string' }, to: { type: 'string' } },
    }));
  } catch (error) {
    throw new CommandUsageError(error instanceof Error ? error.message : String(error));
  }

  if (values.config === undefined) throw new CommandUsageError('replay needs --config FILE, the configuration the service runs with.');
  if ((values.from === undefined) === (values.since === undefined)) {
    throw new CommandUsageError('replay needs exactly one of --from OFFSET or --since ISO-TIME.');
  }

  const from = values.from !== undefined ? { offset: positiveInteger('--from', values.from) } : { since: isoTime('--since', values.since as string) };
  const toOffset = values.to === undefined ? undefined : positiveInteger('--to', values.to);
  return { configPath: values.config, from, ...(toOffset !== undefined ? { toOffset } : {}) };
}

function isoTime(option: string, value: string): number {
  const epochMs = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(epochMs)) throw new CommandUsageError(`Invalid ${option} "${value}": expected an ISO-8601 time such as 2026-01-05T09:00:00Z.`);
  return epochMs;
}

function isFailure(result: ProcessedResult): boolean {
  return result.outcome === 'failed' || result.outcome === 'dead-lettered';
}

function describeFailure(result: ProcessedResult): string {
  const deadLetters = result.work.flatMap((work) => (work.deadLetterId !== undefined ? [work.deadLetterId] : []));
  const stored = deadLetters.length > 0 ? ` (dead letter ${deadLetters.join(', ')})` : '';
  return `offset ${result.offset} ${result.webhookEvent ?? '(no webhookEvent)'} ${result.outcome}${stored}: ${result.error ?? result.reason ?? ''}`;
}
