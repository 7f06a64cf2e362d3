import { parseArgs } from 'node:util';
import { numberOption, parseCommandArgs, withOptionErrors, type CommandIo } from './cli-options.js';
import { ReplayOptionError } from './errors.js';
import { HttpTarget } from './http-target.js';
import { pacingOf, type Pacing } from './pacing.js';
import { startProgressBar } from './progress-bar.js';
import { countRecordedDeliveries, readRecording } from './recording-reader.js';
import { startEmbeddedEnvironment, startLocalServiceEnvironment, type ReplayEnvironment } from './replay-environment.js';
import { replayRecording } from './replayer.js';
import { formatReport, type ReplayReport } from './report.js';
import type { ReplayTarget } from './replay-target.js';
import { jiraCountsAt, portCountsAt, type CountSource } from './simulator-counts.js';
import { readStateFile, type GeneratedState } from './state-file.js';
import { loadStateOverHttp } from './state-loader.js';

export const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8000';
/** Jira Cloud's cap on concurrent webhook requests per tenant and URL host (Primary flow). */
const DEFAULT_CONCURRENCY = 20;
const DEFAULT_SETTLE_TIMEOUT_SECONDS = 120;

export const REPLAY_USAGE = `Usage: npm run replay -- FILE [options]

Replays an NDJSON recording and prints a report. Targets (choose one):
  --url URL              a running service, its base or webhook URL (default ${DEFAULT_SERVICE_URL})
  --embedded             an embedded pipeline against Jira and Port simulators it starts
  --local                the service over HTTP, with simulators, all started on 127.0.0.1

Options:
  --secret SECRET        sign every delivery again with this webhook secret; with
                         --embedded or --local also the secret the pipeline checks
  --new-ids              give every delivery a fresh identifier, so a service that
                         stored the recording before accepts it again
  --rate N               send N deliveries per second
  --speed F              keep the recorded gaps, divided by F (1 is the recorded pace)
                         (neither: as fast as possible)
  --concurrency N        maximum deliveries in flight (default ${DEFAULT_CONCURRENCY})
  --limit N              send only the first N deliveries
  --state FILE           load this Jira state (scripts/generate.ts --state) first
  --jira-sim URL         the Jira simulator behind --url: its request counts, and
                         where --state is loaded
  --port-sim URL         the Port simulator behind --url: its request counts
  --feed-token TOKEN     token of the service's /feed (default: FEED_TOKEN)
  --settle-timeout S     maximum seconds to wait for results after the last send (default ${DEFAULT_SETTLE_TIMEOUT_SECONDS})
  --json                 print the report as JSON
  --no-progress          no progress bar on stderr
`;

interface ReplayArgs {
  readonly file: string;
  readonly mode: 'url' | 'embedded' | 'local';
  readonly url: string;
  readonly secret: string | undefined;
  readonly newIdentifiers: boolean;
  readonly pacing: Pacing;
  readonly concurrency: number;
  readonly limit: number | undefined;
  readonly statePath: string | undefined;
  readonly jiraSim: string | undefined;
  readonly portSim: string | undefined;
  readonly feedToken: string | undefined;
  readonly settleTimeoutMs: number;
  readonly json: boolean;
  readonly progress: boolean;
}

/**
 * `scripts/replay.ts`: replay a recording against the chosen target and
 * print the report. SIGINT stops the sending, and the report still
 * follows. Returns the exit code: 0 once a report was printed, 2 for
 * invalid options.
 */
export async function runReplay(args: readonly string[], io: CommandIo): Promise<number> {
  const command = parseCommandArgs(() => parseReplayArgs(args), REPLAY_USAGE, io);
  if ('exitCode' in command) return command.exitCode;
  const parsed = command.args;

  const report = await replayWithArgs(parsed, io);
  io.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  return 0;
}

async function replayWithArgs(parsed: ReplayArgs, io: CommandIo): Promise<ReplayReport> {
  const state = parsed.statePath === undefined ? undefined : await readStateFile(parsed.statePath);
  const total = Math.min(await countRecordedDeliveries(parsed.file), parsed.limit ?? Number.POSITIVE_INFINITY);
  const setup = await prepareTarget(parsed, state);
  const stop = new AbortController();
  const onSigint = (): void => stop.abort();
  process.once('SIGINT', onSigint);
  const bar = parsed.progress ? startProgressBar(total, io.stderr as NodeJS.WriteStream) : undefined;

  try {
    return await replayRecording({
      source: parsed.file,
      deliveries: limited(readRecording(parsed.file), parsed.limit),
      target: setup.target,
      pacing: parsed.pacing,
      concurrency: parsed.concurrency,
      ...(parsed.secret === undefined ? {} : { secret: parsed.secret }),
      newIdentifiers: parsed.newIdentifiers,
      settleTimeoutMs: parsed.settleTimeoutMs,
      counters: setup.counters,
      ...(setup.environment !== undefined && state !== undefined ? { convergence: setup.environment.convergence } : {}),
      signal: stop.signal,
      ...(bar === undefined ? {} : { onProgress: (progress) => bar.update(progress) }),
    });
  } finally {
    bar?.stop();
    process.off('SIGINT', onSigint);
    await setup.environment?.close();
  }
}

/** Build the target, loading `state` into the Jira simulator it uses, and the sources of request counts. */
async function prepareTarget(
  parsed: ReplayArgs,
  state: GeneratedState | undefined,
): Promise<{ target: ReplayTarget; counters: { jira?: CountSource; port?: CountSource }; environment?: ReplayEnvironment }> {
  if (parsed.mode !== 'url') {
    const settings = { ...(state === undefined ? {} : { state }), ...(parsed.secret === undefined ? {} : { secret: parsed.secret }) };
    const environment = parsed.mode === 'embedded' ? await startEmbeddedEnvironment(settings) : await startLocalServiceEnvironment(settings);
    return { target: environment.target, counters: environment.counters, environment };
  }

  if (state !== undefined) await loadStateOverHttp(parsed.jiraSim as string, state);
  return {
    target: new HttpTarget(parsed.url, parsed.feedToken),
    counters: {
      ...(parsed.jiraSim === undefined ? {} : { jira: jiraCountsAt(parsed.jiraSim) }),
      ...(parsed.portSim === undefined ? {} : { port: portCountsAt(parsed.portSim) }),
    },
  };
}

async function* limited<T>(items: AsyncIterable<T>, limit: number | undefined): AsyncGenerator<T> {
  let count = 0;
  for await (const item of items) {
    if (limit !== undefined && count >= limit) return;
    count += 1;
    yield item;
  }
}

function parseReplayArgs(args: readonly string[]): ReplayArgs | 'help' {
  const { values, positionals } = withOptionErrors(() => parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      embedded: { type: 'boolean', default: false },
      local: { type: 'boolean', default: false },
      secret: { type: 'string' },
      'new-ids': { type: 'boolean', default: false },
      rate: { type: 'string' },
      speed: { type: 'string' },
      concurrency: { type: 'string' },
      limit: { type: 'string' },
      state: { type: 'string' },
      'jira-sim': { type: 'string' },
      'port-sim': { type: 'string' },
      'feed-token': { type: 'string' },
      'settle-timeout': { type: 'string' },
      json: { type: 'boolean', default: false },
      'no-progress': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
  if (values.help === true) return 'help';

  const file = single(positionals);
  const mode = targetMode(values.url, values.embedded === true, values.local === true);
  if (mode !== 'url' && (values['jira-sim'] !== undefined || values['port-sim'] !== undefined)) {
    throw new ReplayOptionError('--jira-sim', '--jira-sim and --port-sim name the simulators behind --url; --embedded and --local start their own.');
  }
  if (mode === 'url' && values.state !== undefined && values['jira-sim'] === undefined) {
    throw new ReplayOptionError('--state', '--state needs --jira-sim URL: the Jira simulator behind the service, which gets the state.');
  }

  return {
    file,
    mode,
    url: values.url ?? DEFAULT_SERVICE_URL,
    secret: values.secret,
    newIdentifiers: values['new-ids'] === true,
    pacing: pacingOf(numberOption('rate', values.rate), numberOption('speed', values.speed)),
    concurrency: positive('concurrency', numberOption('concurrency', values.concurrency, 'integer') ?? DEFAULT_CONCURRENCY),
    limit: optionalPositive('limit', numberOption('limit', values.limit, 'integer')),
    statePath: values.state,
    jiraSim: values['jira-sim'],
    portSim: values['port-sim'],
    feedToken: values['feed-token'] ?? (process.env['FEED_TOKEN'] || undefined),
    settleTimeoutMs: positive('settle-timeout', numberOption('settle-timeout', values['settle-timeout']) ?? DEFAULT_SETTLE_TIMEOUT_SECONDS) * 1000,
    json: values.json === true,
    progress: values['no-progress'] !== true,
  };
}

function single(positionals: readonly string[]): string {
  if (positionals.length !== 1) {
    throw new ReplayOptionError('FILE', `replay needs exactly one recording FILE, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}.`);
  }
  return positionals[0] as string;
}

function targetMode(url: string | undefined, embedded: boolean, local: boolean): ReplayArgs['mode'] {
  if ([url !== undefined, embedded, local].filter(Boolean).length > 1) {
    throw new ReplayOptionError('--url', '--url, --embedded and --local exclude each other; choose one target.');
  }
  if (embedded) return 'embedded';
  return local ? 'local' : 'url';
}

function positive(name: string, value: number): number {
  if (!(value > 0)) throw new ReplayOptionError(`--${name}`, `Invalid --${name} ${value}: expected a value above 0.`);
  return value;
}

function optionalPositive(name: string, value: number | undefined): number | undefined {
  return value === undefined ? undefined : positive(name, value);
}
