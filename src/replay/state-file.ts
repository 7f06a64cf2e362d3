import * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import { readFile, writeFile } from 'node:fs/promises';
import { SeedDataCodec } from '../simulators/jira/admin-codecs.js';
import type { JiraSeedData } from '../simulators/jira/model.js';
import type { JiraState } from '../simulators/jira/state.js';
import { ReplayFileError, StateFileError } from './errors.js';
import { StreamOperationCodec, type StreamOperation } from './operations.js';

/** Value of the `format` field; a file with another value is not read. */
export const STATE_FORMAT = 'jira-port-stream.generated-state/1';

const ProjectStatusCodec = t.keyof({ live: null, archived: null, trashed: null });

const FinalStateCodec = t.type({
  users: t.array(t.type({ accountId: t.string, active: t.boolean })),
  projects: t.array(t.type({ id: t.string, key: t.string, status: ProjectStatusCodec })),
  issues: t.array(t.type({ id: t.string, key: t.string })),
});

const GeneratedStateCodec = t.type({
  format: t.literal(STATE_FORMAT),
  seed: t.number,
  initial: SeedDataCodec,
  operations: t.array(StreamOperationCodec),
  final: FinalStateCodec,
});

/** The Jira site after a generated stream: what a replay must find in the simulator for Port to converge. */
export type FinalState = t.TypeOf<typeof FinalStateCodec>;

/**
 * The Jira state that goes with a generated stream. `initial` is what
 * existed before the first delivery, in the form `JiraState.load` accepts.
 * `operations` are the changes the deliveries report, in order. Applying
 * both to a fresh simulator gives `final`, the state a replay needs: the
 * service re-fetches every object it gets a delivery for, so Jira must
 * already hold the state that the stream ends in.
 */
export interface GeneratedState {
  readonly format: typeof STATE_FORMAT;
  readonly seed: number;
  readonly initial: JiraSeedData;
  readonly operations: readonly StreamOperation[];
  readonly final: FinalState;
}

/** Read and decode a state file. Throws `ReplayFileError` or `StateFileError`. */
export async function readStateFile(path: string): Promise<GeneratedState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ReplayFileError(path, 'read the Jira state', { cause: error });
  }

  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(path, `not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const decoded = GeneratedStateCodec.decode(document);
  if (decoded._tag === 'Left') {
    throw new StateFileError(path, `${PathReporter.report(decoded).slice(0, 2).join('; ')}; write it with scripts/generate.ts --state`);
  }
  return decoded.right as GeneratedState;
}

export async function writeStateFile(path: string, state: GeneratedState): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(state)}\n`);
  } catch (error) {
    throw new ReplayFileError(path, 'write the Jira state', { cause: error });
  }
}

/** Read the final state out of an in-process simulator, in the form the state file stores. */
export function finalStateOf(state: JiraState): FinalState {
  return finalStateFrom({ users: state.users(), projects: state.projects(), issues: state.issues() });
}

/** Reduce the objects of `GET /_sim/state` (or of `JiraState`) to a `FinalState`, sorted for comparison. */
export function finalStateFrom(objects: {
  readonly users: ReadonlyArray<{ readonly accountId: string; readonly active?: boolean }>;
  readonly projects: ReadonlyArray<{ readonly id: string; readonly key: string; readonly archived?: boolean; readonly deleted?: boolean }>;
  readonly issues: ReadonlyArray<{ readonly id: string; readonly key: string }>;
}): FinalState {
  const byId = <T extends { id: string }>(left: T, right: T): number => Number(left.id) - Number(right.id);
  return {
    users: objects.users.map((user) => ({ accountId: user.accountId, active: user.active !== false })).sort((left, right) => left.accountId.localeCompare(right.accountId)),
    projects: objects.projects.map((project) => ({ id: project.id, key: project.key, status: projectStatus(project) })).sort(byId),
    issues: objects.issues.map((issue) => ({ id: issue.id, key: issue.key })).sort(byId),
  };
}

/** List how `actual` differs from `expected`, one line per user, project or issue; empty when equal. */
export function finalStateDifferences(expected: FinalState, actual: FinalState): string[] {
  return [
    ...listDifferences('user', expected.users, actual.users, (user) => user.accountId),
    ...listDifferences('project', expected.projects, actual.projects, (project) => project.id),
    ...listDifferences('issue', expected.issues, actual.issues, (issue) => issue.id),
  ];
}

function listDifferences<T>(kind: string, expected: readonly T[], actual: readonly T[], idOf: (value: T) => string): string[] {
  const actualById = new Map(actual.map((value) => [idOf(value), JSON.stringify(value)]));
  const expectedIds = new Set(expected.map(idOf));
  const differences: string[] = [];

  for (const value of expected) {
    const found = actualById.get(idOf(value));
    if (found === undefined) differences.push(`${kind} ${idOf(value)} is missing`);
    else if (found !== JSON.stringify(value)) differences.push(`${kind} ${idOf(value)} is ${found}, expected ${JSON.stringify(value)}`);
  }
  for (const value of actual) {
    if (!expectedIds.has(idOf(value))) differences.push(`${kind} ${idOf(value)} is not in the generated state`);
  }
  return differences;
}

function projectStatus(project: { readonly archived?: boolean; readonly deleted?: boolean }): FinalState['projects'][number]['status'] {
  if (project.deleted === true) return 'trashed';
  return project.archived === true ? 'archived' : 'live';
}
