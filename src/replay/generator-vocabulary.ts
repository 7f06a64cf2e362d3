import type { ProjectInput } from '../simulators/jira/model.js';
import type { StreamOperation } from './operations.js';
import { pickOne, pickWeighted, seededUuid, type Random } from './random-choice.js';

/**
 * The words and field values generated streams are made of. Status, issue
 * type and priority names are those in the Jira simulator's catalog.
 */

export const STATUSES = ['To Do', 'Backlog', 'In Progress', 'In Review', 'Done'] as const;
export const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'] as const;
export const LABELS = ['backend', 'frontend', 'infra', 'security', 'customer', 'tech-debt', 'performance'] as const;

const ISSUE_TYPES: ReadonlyArray<readonly [string, number]> = [['Task', 5], ['Bug', 3], ['Story', 2]];
const PRIORITY_WEIGHTS: ReadonlyArray<readonly [string, number]> = [['Highest', 1], ['High', 3], ['Medium', 8], ['Low', 3], ['Lowest', 1]];

const PROJECTS: ReadonlyArray<readonly [string, string]> = [
  ['CAT', 'Service Catalog'], ['PLAT', 'Platform'], ['OPS', 'Operations'], ['WEB', 'Web App'], ['API', 'Public API'],
  ['DATA', 'Data Pipeline'], ['SEC', 'Security'], ['MOB', 'Mobile'], ['INFRA', 'Infrastructure'], ['DOCS', 'Documentation'],
  ['PAY', 'Payments'], ['SRCH', 'Search'],
];

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Frances', 'Dennis', 'Radia', 'John'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Allen', 'Ritchie', 'Perlman', 'Backus'];
const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];

const VERBS = ['Fix', 'Add', 'Remove', 'Speed up', 'Document', 'Refactor', 'Test', 'Migrate'];
const SUBJECTS = ['login flow', 'billing export', 'search index', 'webhook retries', 'rate limiter', 'audit log', 'dashboard', 'CSV import', 'SSO settings', 'cache eviction'];

type NewUser = Extract<StreamOperation, { op: 'createUser' }>['input'] & { readonly accountId: string };
type NewIssue = Extract<StreamOperation, { op: 'createIssue' }>['input'];

/** Return the `count` projects of a stream: the names above, then `P13`, `P14`, … when more are needed. */
export function projectInputs(count: number): ProjectInput[] {
  return Array.from({ length: count }, (_, index) => {
    const [key, name] = PROJECTS[index] ?? [`P${index + 1}`, `Project ${index + 1}`];
    return { key, name, description: `${name} work, generated for load tests.` };
  });
}

/** Build a new user with a seeded account id, named after a computing pioneer plus a number. */
export function userInput(random: Random, number: number): NewUser {
  const first = pickOne(random, FIRST_NAMES);
  const last = pickOne(random, LAST_NAMES);
  return {
    accountId: `712020:${seededUuid(random)}`,
    displayName: `${first} ${last} ${number}`,
    emailAddress: `${first}.${last}.${number}@example.com`.toLowerCase(),
    timeZone: pickOne(random, TIME_ZONES),
  };
}

/** Build a new issue in `projectKey`, usually assigned, with zero to two labels. */
export function issueInput(random: Random, projectKey: string, number: number, users: readonly string[]): NewIssue {
  const labels = [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => pickOne(random, LABELS)))];
  return {
    projectKey,
    summary: issueSummary(random, number),
    description: `Generated issue ${number}.`,
    issuetype: pickWeighted(random, ISSUE_TYPES),
    priority: pickWeighted(random, PRIORITY_WEIGHTS),
    labels,
    assigneeAccountId: users.length > 0 && random() < 0.7 ? pickOne(random, users) : null,
    reporterAccountId: users.length > 0 ? pickOne(random, users) : null,
  };
}

export function issueSummary(random: Random, number: number): string {
  return `${pickOne(random, VERBS)} ${pickOne(random, SUBJECTS)} (#${number})`;
}

export function timeZone(random: Random): string {
  return pickOne(random, TIME_ZONES);
}
