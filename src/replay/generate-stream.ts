import { startJiraSimulator, type JiraSimulator } from '../simulators/jira/index.js';
import { seededRandom } from '../simulators/jira/random.js';
import { arrange, type SentEvent } from './arrival.js';
import { GeneratedOperationError, ReplayOptionError } from './errors.js';
import { projectInputs, userInput } from './generator-vocabulary.js';
import { GeneratorWorld, type ProjectStatus } from './generator-world.js';
import { nextOperation } from './next-operation.js';
import { applyOperation, type StreamOperation } from './operations.js';
import { seededUuid, type Random } from './random-choice.js';
import type { RecordedDelivery } from './recording.js';
import { finalStateOf, STATE_FORMAT, type GeneratedState } from './state-file.js';
import { startWebhookSink } from './webhook-sink.js';

export interface GenerateOptions {
  /** Lines of the recording, retries included. */
  readonly deliveries: number;
  /** Issues created over the stream. */
  readonly issues: number;
  /** Projects, all created by the first deliveries. */
  readonly projects: number;
  /** Users that exist before the stream; more are created during it. */
  readonly users: number;
  readonly seed: number;
  /** Popularity exponent of issues (see `pickPopular`): 1 is uniform, 3 gives the top 10 % of issues about 46 % of the changes. */
  readonly skew: number;
  /** Share of deliveries that Jira sends twice, as a retry. */
  readonly duplicateRate: number;
  /** Share of issue and comment deliveries that arrive after later ones. */
  readonly reorderRate: number;
  /** Maximum number of later deliveries that overtake a late one. */
  readonly reorderWindow: number;
  /** Mean arrival rate of the recording's timeline, in deliveries per second. */
  readonly ratePerSecond: number;
  /** Epoch ms of the first arrival; default the time of generation. */
  readonly startAt?: number;
  /** Sign every delivery with this webhook secret; default unsigned. */
  readonly secret?: string;
}

export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = {
  deliveries: 1000,
  issues: 100,
  projects: 5,
  users: 20,
  seed: 1,
  skew: 3,
  duplicateRate: 0.02,
  reorderRate: 0.05,
  reorderWindow: 8,
  ratePerSecond: 20,
};

/** Counts that describe a generated stream. */
export interface GenerationSummary {
  readonly deliveries: number;
  readonly unique: number;
  readonly retries: number;
  readonly late: number;
  readonly byEvent: Readonly<Record<string, number>>;
  readonly final: { readonly users: number; readonly issues: number; readonly projects: Readonly<Record<ProjectStatus, number>> };
}

export interface GeneratedStream {
  /** In arrival order. */
  readonly deliveries: readonly RecordedDelivery[];
  readonly state: GeneratedState;
  readonly summary: GenerationSummary;
}

/**
 * Generate a synthetic delivery stream and the Jira state it belongs to.
 *
 * A private Jira simulator on 127.0.0.1 is the model: the generator applies
 * seeded random changes to it (creates, updates with changelogs, moves,
 * comments, deletes, project lifecycle and user changes) and takes the
 * webhook bodies the simulator sends for them. `arrange` then adds retries,
 * late arrivals and receive times. The same options give the same
 * changes, identifiers, order and receive times.
 *
 * NOTE: body timestamps and the issues' `created`/`updated` fields come
 * from the simulator's clock, so they differ between runs with one seed.
 * Every body also stays in memory until the end (the simulator keeps its
 * delivery log), which limits a stream to a few hundred thousand deliveries.
 */
export async function generateStream(overrides: Partial<GenerateOptions> = {}): Promise<GeneratedStream> {
  const options = validateOptions({ ...DEFAULT_GENERATE_OPTIONS, ...overrides });
  const random = seededRandom(options.seed);
  const sink = await startWebhookSink();
  const jira = await startJiraSimulator({ webhook: { url: sink.url } });

  try {
    const world = new GeneratorWorld(random);
    const initial = { users: Array.from({ length: options.users }, (_, index) => userInput(random, index + 1)) };
    jira.state.load(initial);
    for (const user of initial.users) world.users.push(user.accountId);
    world.usersCreated = options.users;

    const { operations, events } = runChanges(jira, world, random, options);
    const state: GeneratedState = { format: STATE_FORMAT, seed: options.seed, initial, operations, final: finalStateOf(jira.state) };
    const arrivals = arrange(events, random, { ...options, startAt: options.startAt ?? Date.now() });
    return { deliveries: arrivals.deliveries, state, summary: summarize(events, arrivals, state) };
  } finally {
    await jira.close();
    await sink.close();
  }
}

/** Apply changes until the sent webhooks plus their planned retries fill `options.deliveries` lines. */
function runChanges(jira: JiraSimulator, world: GeneratorWorld, random: Random, options: GenerateOptions): { operations: StreamOperation[]; events: SentEvent[] } {
  const projects = projectInputs(options.projects);
  const expectedUnique = Math.round(options.deliveries / (1 + options.duplicateRate));
  const rampLength = Math.max(1, Math.floor(0.6 * (expectedUnique - options.projects)));
  const operations: StreamOperation[] = [];
  const events: SentEvent[] = [];
  let lines = 0;

  while (lines < options.deliveries) {
    const sequence = operations.length;
    const project = projects[sequence];
    const operation: StreamOperation = project !== undefined
      ? { op: 'createProject', input: project }
      : nextOperation(world, random, { skew: options.skew, sequence, createIssue: createsIssue(world, options.issues, (sequence - projects.length + 1) / rampLength) });

    world.record(operation, apply(jira, operation, sequence));
    operations.push(operation);

    for (const sent of jira.state.sentWebhooks().slice(events.length)) {
      lines += 1;
      const duplicated = lines < options.deliveries && random() < options.duplicateRate;
      if (duplicated) lines += 1;
      events.push({ identifier: seededUuid(random), webhookEvent: sent.webhookEvent, body: JSON.stringify(sent.body), duplicated });
    }
  }
  return { operations, events };
}

/**
 * Decide whether the next change creates an issue: issue creation follows a ramp
 * that ends after 60 % of the stream, and runs ahead when no issue is left
 * to change.
 */
function createsIssue(world: GeneratorWorld, issues: number, rampProgress: number): boolean {
  if (world.issuesCreated >= issues) return false;
  return world.activeIssues.length === 0 || world.issuesCreated < Math.ceil(issues * Math.min(1, rampProgress));
}

function apply(jira: JiraSimulator, operation: StreamOperation, sequence: number): string | undefined {
  try {
    return applyOperation(jira.state, operation);
  } catch (error) {
    throw new GeneratedOperationError(sequence, operation, { cause: error });
  }
}

function summarize(events: readonly SentEvent[], arrivals: { deliveries: readonly RecordedDelivery[]; late: number; retries: number }, state: GeneratedState): GenerationSummary {
  const byEvent: Record<string, number> = {};
  for (const event of events) byEvent[event.webhookEvent] = (byEvent[event.webhookEvent] ?? 0) + 1;

  const projects: Record<ProjectStatus, number> = { live: 0, archived: 0, trashed: 0 };
  for (const project of state.final.projects) projects[project.status] += 1;
  return {
    deliveries: arrivals.deliveries.length,
    unique: events.length,
    retries: arrivals.retries,
    late: arrivals.late,
    byEvent,
    final: { users: state.final.users.filter((user) => user.active).length, issues: state.final.issues.length, projects },
  };
}

function validateOptions(options: GenerateOptions): GenerateOptions {
  const integer = (name: keyof GenerateOptions, minimum: number): void => {
    const value = options[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
      throw new ReplayOptionError(name, `Invalid ${name} ${String(value)}: expected an integer of at least ${minimum}.`);
    }
  };
  const share = (name: 'duplicateRate' | 'reorderRate'): void => {
    if (!(options[name] >= 0 && options[name] < 1)) throw new ReplayOptionError(name, `Invalid ${name} ${options[name]}: expected a share from 0 up to (not including) 1.`);
  };

  integer('projects', 1);
  integer('deliveries', options.projects + 1);
  integer('issues', 1);
  integer('users', 1);
  integer('seed', 0);
  integer('reorderWindow', 1);
  share('duplicateRate');
  share('reorderRate');
  if (!(options.skew >= 1)) throw new ReplayOptionError('skew', `Invalid skew ${options.skew}: expected a number of at least 1 (1 is uniform).`);
  if (!(options.ratePerSecond > 0)) throw new ReplayOptionError('ratePerSecond', `Invalid ratePerSecond ${options.ratePerSecond}: expected a positive number.`);
  return options;
}
