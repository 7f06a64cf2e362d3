import { issueInput, issueSummary, LABELS, PRIORITIES, STATUSES, timeZone, userInput } from './generator-vocabulary.js';
import type { GeneratorWorld } from './generator-world.js';
import type { StreamOperation } from './operations.js';
import { pickOne, pickPopular, pickUnpopular, pickWeighted, type Random } from './random-choice.js';

/**
 * Relative weights of the changes after the issues are created, chosen so
 * that issue updates dominate as they do on a busy site. Project and user
 * events are rare but present, so that every processor gets work.
 */
const CHANGE_MIX = [
  ['transition', 33],
  ['assign', 17],
  ['edit', 14],
  ['comment', 23],
  ['move', 4],
  ['delete', 3],
  ['project', 1],
  ['user', 5],
] as const;

type ChangeKind = (typeof CHANGE_MIX)[number][0];

/** Skew of project popularity when new issues pick their project: the first projects get most issues. */
const PROJECT_SKEW = 2;

export interface NextOperationSettings {
  /** Popularity skew of issues (see `pickPopular`). */
  readonly skew: number;
  /** Create an issue now, because the creation schedule is behind. */
  readonly createIssue: boolean;
  /** Position of this operation in the stream, used to make every edited text unique. */
  readonly sequence: number;
}

/**
 * Choose the next change to the simulated site. Every operation returned
 * fits the world's current state and changes something, so the simulator
 * sends exactly one webhook for it.
 */
export function nextOperation(world: GeneratorWorld, random: Random, settings: NextOperationSettings): StreamOperation {
  if (settings.createIssue) return createIssue(world, random);

  const hasIssues = world.activeIssues.length > 0;
  const weights = CHANGE_MIX.map(([kind, weight]): readonly [ChangeKind, number] => {
    if (kind === 'project' || kind === 'user') return [kind, weight];
    if (kind === 'move') return [kind, hasIssues && world.liveProjects().length > 1 ? weight : 0];
    return [kind, hasIssues ? weight : 0];
  });

  const kind = pickWeighted(random, weights);
  if (kind === 'project') return projectChange(world, random, settings.sequence);
  if (kind === 'user') return userChange(world, random, settings.sequence);
  // Teams delete rarely changed issues (duplicates, mistakes), not the busy ones.
  const issueId = kind === 'delete' ? pickUnpopular(random, world.activeIssues, settings.skew) : pickPopular(random, world.activeIssues, settings.skew);
  return issueChange(kind, issueId, world, random, settings.sequence);
}

function createIssue(world: GeneratorWorld, random: Random): StreamOperation {
  const projectKey = pickPopular(random, world.liveProjects(), PROJECT_SKEW);
  return { op: 'createIssue', input: issueInput(random, projectKey, world.issuesCreated + 1, world.users) };
}

function issueChange(kind: Exclude<ChangeKind, 'project' | 'user'>, issueId: string, world: GeneratorWorld, random: Random, sequence: number): StreamOperation {
  const facts = world.facts(issueId);
  switch (kind) {
    case 'transition':
      return { op: 'updateIssue', issueId, patch: { status: pickOne(random, STATUSES.filter((status) => status !== facts.status)) } };
    case 'assign':
      return assign(issueId, facts.assignee, world.users, random);
    case 'edit':
      return edit(issueId, facts, random, sequence);
    case 'comment':
      return { op: 'addComment', issueId, body: `Update ${sequence}: looked into this, details in the linked runbook.`, authorAccountId: pickOne(random, world.users) };
    case 'move': {
      const targets = world.liveProjects().filter((key) => key !== facts.projectKey);
      return { op: 'moveIssue', issueId, projectKey: pickPopular(random, targets, PROJECT_SKEW) };
    }
    case 'delete':
      return { op: 'deleteIssue', issueId };
  }
}

function assign(issueId: string, current: string | null, users: readonly string[], random: Random): StreamOperation {
  const candidates = users.filter((accountId) => accountId !== current);
  const unassign = current !== null && (candidates.length === 0 || random() < 0.15);
  return { op: 'updateIssue', issueId, patch: { assigneeAccountId: unassign ? null : pickOne(random, candidates) } };
}

function edit(issueId: string, facts: { priority: string; labels: string[] }, random: Random, sequence: number): StreamOperation {
  const field = pickOne(random, ['summary', 'priority', 'labels'] as const);
  if (field === 'summary') return { op: 'updateIssue', issueId, patch: { summary: issueSummary(random, sequence) } };
  if (field === 'priority') return { op: 'updateIssue', issueId, patch: { priority: pickOne(random, PRIORITIES.filter((name) => name !== facts.priority)) } };

  const label = pickOne(random, LABELS);
  const labels = facts.labels.includes(label) ? facts.labels.filter((existing) => existing !== label) : [...facts.labels, label];
  return { op: 'updateIssue', issueId, patch: { labels } };
}

/** Share of the projects that may be archived or in the trash at once. */
const MAX_INACTIVE_SHARE = 0.2;

/**
 * Choose a project lifecycle event. At most a fifth of the projects (at least one)
 * is archived or in the trash at a time, and at least one stays live, so
 * that most of the stream is about live projects as on a real site.
 */
function projectChange(world: GeneratorWorld, random: Random, sequence: number): StreamOperation {
  const live = world.liveProjects();
  const archived = world.projectsIn('archived');
  const trashed = world.projectsIn('trashed');
  const maxInactive = Math.max(1, Math.floor(world.projects.size * MAX_INACTIVE_SHARE));
  const canLeave = live.length > 1 && archived.length + trashed.length < maxInactive;
  const choice = pickWeighted(random, [
    ['update', 4],
    ['archive', canLeave ? 1 : 0],
    ['restoreArchived', archived.length > 0 ? 2 : 0],
    ['softDelete', canLeave ? 1 : 0],
    ['restore', trashed.length > 0 ? 1.5 : 0],
    ['purge', trashed.length > 0 ? 0.25 : 0],
  ] as const);

  switch (choice) {
    case 'update': {
      const projectKey = pickOne(random, live);
      return { op: 'updateProject', projectKey, patch: { name: `${projectKey} project, revision ${sequence}` } };
    }
    case 'archive': return { op: 'archiveProject', projectKey: leastPopular(random, live) };
    case 'restoreArchived': return { op: 'restoreArchivedProject', projectKey: pickOne(random, archived) };
    case 'softDelete': return { op: 'softDeleteProject', projectKey: leastPopular(random, live) };
    case 'restore': return { op: 'restoreProject', projectKey: pickOne(random, trashed) };
    case 'purge': return { op: 'purgeProject', projectKey: pickOne(random, trashed) };
  }
}

/** Pick a project with a bias towards the least popular ones, which are the ones teams archive or trash. */
function leastPopular(random: Random, projectKeys: readonly string[]): string {
  return pickUnpopular(random, projectKeys, PROJECT_SKEW);
}

/**
 * Choose a user event. Deleted users are deactivated rather than removed,
 * so a replay against the final state can still fetch every user that an
 * earlier `user_updated` names. A 404 there would count as a failure.
 */
function userChange(world: GeneratorWorld, random: Random, sequence: number): StreamOperation {
  const choice = pickWeighted(random, [
    ['create', 3],
    ['update', world.users.length > 0 ? 5 : 0],
    ['deactivate', world.users.length > 2 ? 1 : 0],
  ] as const);

  if (choice === 'create') return { op: 'createUser', input: userInput(random, world.usersCreated + 1) };
  const accountId = pickOne(random, world.users);
  if (choice === 'deactivate') return { op: 'deactivateUser', accountId };
  return random() < 0.5
    ? { op: 'updateUser', accountId, patch: { displayName: `Renamed user ${sequence}` } }
    : { op: 'updateUser', accountId, patch: { timeZone: timeZone(random) } };
}
