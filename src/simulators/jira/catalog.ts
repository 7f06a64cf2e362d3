import { InvalidInputError } from './errors.js';

/**
 * The fixed workflow vocabulary of the simulated site: statuses with their
 * categories, issue types and priorities. Ids follow the values seen in
 * Jira Cloud payloads (status "Done" is 10002, category "done" is 3).
 */
export interface StatusCategory {
  readonly id: number;
  readonly key: 'new' | 'indeterminate' | 'done';
  readonly name: string;
  readonly colorName: string;
}

export interface Status {
  readonly id: string;
  readonly name: string;
  readonly category: StatusCategory;
}

export interface IssueType {
  readonly id: string;
  readonly name: string;
  readonly subtask: boolean;
  readonly hierarchyLevel: number;
}

export interface Priority {
  readonly id: string;
  readonly name: string;
}

const TO_DO: StatusCategory = { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' };
const IN_PROGRESS: StatusCategory = { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' };
const DONE: StatusCategory = { id: 3, key: 'done', name: 'Done', colorName: 'green' };

export const STATUS_CATEGORIES: readonly StatusCategory[] = [TO_DO, IN_PROGRESS, DONE];

export const STATUSES: readonly Status[] = [
  { id: '10000', name: 'To Do', category: TO_DO },
  { id: '10001', name: 'Backlog', category: TO_DO },
  { id: '3', name: 'In Progress', category: IN_PROGRESS },
  { id: '10003', name: 'In Review', category: IN_PROGRESS },
  { id: '10002', name: 'Done', category: DONE },
];

export const ISSUE_TYPES: readonly IssueType[] = [
  { id: '10000', name: 'Epic', subtask: false, hierarchyLevel: 1 },
  { id: '10001', name: 'Task', subtask: false, hierarchyLevel: 0 },
  { id: '10002', name: 'Bug', subtask: false, hierarchyLevel: 0 },
  { id: '10003', name: 'Story', subtask: false, hierarchyLevel: 0 },
  { id: '10004', name: 'Subtask', subtask: true, hierarchyLevel: -1 },
];

export const PRIORITIES: readonly Priority[] = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];

/** The resolution Jira sets when an issue enters a status of the "done" category. */
export const DONE_RESOLUTION = { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' } as const;

/** Finds a catalog entry by name (case-insensitive) or id, or throws naming the accepted values. */
function findEntry<T extends { readonly id: string; readonly name: string }>(
  entries: readonly T[],
  kind: string,
  nameOrId: string,
): T {
  const wanted = nameOrId.toLowerCase();
  const entry = entries.find((candidate) => candidate.name.toLowerCase() === wanted || candidate.id === nameOrId);
  if (entry === undefined) {
    const accepted = entries.map((candidate) => `"${candidate.name}"`).join(', ');
    throw new InvalidInputError(`Unknown ${kind} "${nameOrId}"; use one of ${accepted}.`);
  }
  return entry;
}

export function findStatus(nameOrId: string): Status {
  return findEntry(STATUSES, 'status', nameOrId);
}

export function findIssueType(nameOrId: string): IssueType {
  return findEntry(ISSUE_TYPES, 'issue type', nameOrId);
}

export function findPriority(nameOrId: string): Priority {
  return findEntry(PRIORITIES, 'priority', nameOrId);
}
