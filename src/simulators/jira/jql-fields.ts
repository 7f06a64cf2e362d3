import type { JqlOperator } from './jql-parser.js';

/**
 * The issue facts that JQL clauses and `ORDER BY` read. The state builds one
 * subject per issue. `keys` starts with the current key and continues with
 * the keys the issue had before a move or a project key change.
 */
export interface JqlSubject {
  readonly id: string;
  readonly keys: readonly string[];
  readonly project: { readonly id: string; readonly keys: readonly string[]; readonly name: string };
  readonly status: { readonly id: string; readonly name: string };
  readonly statusCategory: { readonly id: string; readonly key: string; readonly name: string };
  readonly issuetype: { readonly id: string; readonly name: string };
  readonly priority: { readonly id: string; readonly name: string };
  readonly labels: readonly string[];
  readonly assignee: string | null;
  readonly reporter: string | null;
  readonly summary: string;
  readonly created: number;
  readonly updated: number;
}

type SortValue = string | number | null;

/**
 * One searchable field. `values` are the strings an equality operand may
 * name (compared case-insensitively). An empty list means the field is EMPTY.
 * Date fields expose `date` instead.
 */
export interface JqlField {
  readonly name: string;
  readonly operators: readonly JqlOperator[];
  readonly values?: (subject: JqlSubject) => readonly string[];
  readonly date?: (subject: JqlSubject) => number;
  readonly sortValue?: (subject: JqlSubject) => SortValue;
}

const EQUALITY: readonly JqlOperator[] = ['=', '!=', 'in', 'not in', 'is', 'is not'];
const DATE_OPERATORS: readonly JqlOperator[] = ['=', '!=', '>', '>=', '<', '<=', 'is', 'is not'];

/** Sorts keys as Jira does: by project key, then by issue number. */
function keySortValue(subject: JqlSubject): string {
  const key = subject.keys[0] ?? '';
  const separator = key.lastIndexOf('-');
  const number = Number(key.slice(separator + 1));
  return `${key.slice(0, separator)}-${String(number).padStart(12, '0')}`;
}

const ISSUE_FIELD: JqlField = {
  name: 'issue',
  operators: ['=', '!=', 'in', 'not in'],
  values: (subject) => [subject.id, ...subject.keys],
  sortValue: keySortValue,
};

const FIELDS: Record<string, JqlField> = {
  issue: ISSUE_FIELD,
  id: { ...ISSUE_FIELD, name: 'id', sortValue: (subject) => Number(subject.id) },
  key: { ...ISSUE_FIELD, name: 'key' },
  issuekey: { ...ISSUE_FIELD, name: 'issuekey' },
  project: {
    name: 'project',
    operators: EQUALITY,
    values: (subject) => [subject.project.id, subject.project.name, ...subject.project.keys],
    sortValue: (subject) => subject.project.name.toLowerCase(),
  },
  status: {
    name: 'status',
    operators: EQUALITY,
    values: (subject) => [subject.status.id, subject.status.name],
    sortValue: (subject) => subject.status.name.toLowerCase(),
  },
  statuscategory: {
    name: 'statusCategory',
    operators: EQUALITY,
    values: (subject) => [subject.statusCategory.id, subject.statusCategory.key, subject.statusCategory.name],
    sortValue: (subject) => subject.statusCategory.name.toLowerCase(),
  },
  issuetype: {
    name: 'issuetype',
    operators: EQUALITY,
    values: (subject) => [subject.issuetype.id, subject.issuetype.name],
    sortValue: (subject) => subject.issuetype.name.toLowerCase(),
  },
  priority: {
    name: 'priority',
    operators: EQUALITY,
    values: (subject) => [subject.priority.id, subject.priority.name],
    sortValue: (subject) => Number(subject.priority.id),
  },
  labels: { name: 'labels', operators: EQUALITY, values: (subject) => subject.labels },
  assignee: {
    name: 'assignee',
    operators: EQUALITY,
    values: (subject) => (subject.assignee === null ? [] : [subject.assignee]),
    sortValue: (subject) => subject.assignee,
  },
  reporter: {
    name: 'reporter',
    operators: EQUALITY,
    values: (subject) => (subject.reporter === null ? [] : [subject.reporter]),
    sortValue: (subject) => subject.reporter,
  },
  summary: { name: 'summary', operators: [], sortValue: (subject) => subject.summary.toLowerCase() },
  /** Jira's board rank. The simulator has no ranking, so it sorts by id, the order of creation. */
  rank: { name: 'rank', operators: [], sortValue: (subject) => Number(subject.id) },
  created: { name: 'created', operators: DATE_OPERATORS, date: (subject) => subject.created, sortValue: (subject) => subject.created },
  updated: { name: 'updated', operators: DATE_OPERATORS, date: (subject) => subject.updated, sortValue: (subject) => subject.updated },
};

/** Aliases Jira accepts for the same field. */
const ALIASES: Record<string, string> = { type: 'issuetype', createddate: 'created', updateddate: 'updated' };

/** Looks a field up by any of its JQL names, case-insensitively. */
export function findJqlField(name: string): JqlField | undefined {
  const lower = name.toLowerCase();
  return FIELDS[ALIASES[lower] ?? lower];
}
