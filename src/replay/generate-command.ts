import { parseArgs } from 'node:util';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { numberOption, parseCommandArgs, withOptionErrors, timeOption, type CommandIo } from './cli-options.js';
import { ReplayFileError } from './errors.js';
import { DEFAULT_GENERATE_OPTIONS, generateStream, type GenerateOptions, type GenerationSummary } from './generate-stream.js';
import { recordingLine, type RecordedDelivery } from './recording.js';
import { writeStateFile } from './state-file.js';
import { loadStateOverHttp } from './state-loader.js';

const defaults = DEFAULT_GENERATE_OPTIONS;

export const GENERATE_USAGE = `Usage: npm run generate -- [options]

Writes a synthetic stream of Jira webhook deliveries as an NDJSON recording.

  --out FILE             recording to write (default: stdout)
  --state FILE           also write the Jira state the stream belongs to
  --load-into URL        also load that state into the Jira simulator at URL
  --deliveries N         lines of the recording, retries included (default ${defaults.deliveries})
  --issues N             issues created over the stream (default ${defaults.issues})
  --projects N           projects, created first (default ${defaults.projects})
  --users N              users that exist before the stream (default ${defaults.users})
  --seed N               seed of every random choice (default ${defaults.seed})
  --skew X               issue popularity exponent, 1 is uniform (default ${defaults.skew})
  --duplicates SHARE     share of deliveries Jira sends twice (default ${defaults.duplicateRate})
  --reorder SHARE        share of issue and comment deliveries that arrive late (default ${defaults.reorderRate})
  --reorder-window N     maximum deliveries that overtake a late one (default ${defaults.reorderWindow})
  --rate N               mean deliveries per second of the recorded timeline (default ${defaults.ratePerSecond})
  --start ISO            receive time of the first delivery (default: now)
  --secret SECRET        sign every delivery with this webhook secret (default: unsigned)
  --json                 print the summary as JSON on stderr
`;

/**
 * `scripts/generate.ts`: generate a stream, write the recording and
 * optionally the state file, and print a summary on stderr. Returns the
 * exit code: 0, or 2 for invalid options.
 */
export async function runGenerate(args: readonly string[], io: CommandIo): Promise<number> {
  const command = parseCommandArgs(() => parseGenerateArgs(args), GENERATE_USAGE, io);
  if ('exitCode' in command) return command.exitCode;
  const parsed = command.args;

  const generated = await generateStream(parsed.options);
  await writeRecording(generated.deliveries, parsed.out, io.stdout);
  if (parsed.state !== undefined) await writeStateFile(parsed.state, generated.state);
  if (parsed.loadInto !== undefined) await loadStateOverHttp(parsed.loadInto, generated.state);

  io.stderr.write(parsed.json ? `${JSON.stringify(generated.summary)}\n` : formatSummary(generated.summary, parsed));
  return 0;
}

interface GenerateArgs {
  readonly options: Partial<GenerateOptions>;
  readonly out: string | undefined;
  readonly state: string | undefined;
  readonly loadInto: string | undefined;
  readonly json: boolean;
}

function parseGenerateArgs(args: readonly string[]): GenerateArgs | 'help' {
  const { values } = withOptionErrors(() => parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      out: { type: 'string', short: 'o' },
      state: { type: 'string' },
      'load-into': { type: 'string' },
      deliveries: { type: 'string' },
      issues: { type: 'string' },
      projects: { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string' },
      skew: { type: 'string' },
      duplicates: { type: 'string' },
      reorder: { type: 'string' },
      'reorder-window': { type: 'string' },
      rate: { type: 'string' },
      start: { type: 'string' },
      secret: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
  if (values.help === true) return 'help';

  const chosen: Partial<Record<keyof GenerateOptions, number | string | undefined>> = {
    deliveries: numberOption('deliveries', values.deliveries, 'integer'),
    issues: numberOption('issues', values.issues, 'integer'),
    projects: numberOption('projects', values.projects, 'integer'),
    users: numberOption('users', values.users, 'integer'),
    seed: numberOption('seed', values.seed, 'integer'),
    skew: numberOption('skew', values.skew),
    duplicateRate: numberOption('duplicates', values.duplicates),
    reorderRate: numberOption('reorder', values.reorder),
    reorderWindow: numberOption('reorder-window', values['reorder-window'], 'integer'),
    ratePerSecond: numberOption('rate', values.rate),
    startAt: timeOption('start', values.start),
    secret: values.secret,
  };
  const options = Object.fromEntries(Object.entries(chosen).filter(([, value]) => value !== undefined)) as Partial<GenerateOptions>;
  return { options, out: values.out, state: values.state, loadInto: values['load-into'], json: values.json === true };
}

/** Write the recording to `path`, or to `stdout` when no path is given, waiting for the stream to drain. */
async function writeRecording(deliveries: readonly RecordedDelivery[], path: string | undefined, stdout: Writable): Promise<void> {
  const output = path === undefined ? stdout : createWriteStream(path);
  const failed = new Promise<never>((_, reject) => output.once('error', (error: Error) => reject(new ReplayFileError(path ?? 'stdout', 'write the recording', { cause: error }))));
  failed.catch(() => undefined);

  for (const delivery of deliveries) {
    if (!output.write(recordingLine(delivery, { signatures: true }))) await Promise.race([once(output, 'drain'), failed]);
  }
  if (path !== undefined) await Promise.race([new Promise<void>((resolve) => output.end(resolve)), failed]);
}

function formatSummary(summary: GenerationSummary, parsed: GenerateArgs): string {
  const events = Object.entries(summary.byEvent).sort(([, left], [, right]) => right - left);
  const lines = [
    `generated ${summary.deliveries} deliveries (${summary.unique} unique, ${summary.retries} retries, ${summary.late} late) to ${parsed.out ?? 'stdout'}`,
    ...events.map(([event, count]) => `  ${String(count).padStart(7)}  ${event}`),
    `final state: ${summary.final.issues} issues, ${summary.final.users} active users, projects ${Object.entries(summary.final.projects).map(([status, count]) => `${status} ${count}`).join(', ')}`,
  ];
  if (parsed.state !== undefined) lines.push(`Jira state written to ${parsed.state}`);
  if (parsed.loadInto !== undefined) lines.push(`Jira state loaded into ${parsed.loadInto}`);
  return `${lines.join('\n')}\n`;
}
