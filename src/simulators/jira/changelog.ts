import { findIssueType, findPriority, findStatus } from './catalog.js';
import type { IssueRecord, ProjectRecord } from './model.js';

/** One changed field in a `jira:issue_updated` changelog, shaped as Jira Cloud sends it. */
export interface ChangelogItem {
  readonly field: string;
  readonly fieldtype: 'jira';
  readonly fieldId?: string;
  readonly from: string | null;
  readonly fromString: string | null;
  readonly to: string | null;
  readonly toString: string | null;
  readonly tmpFromAccountId?: string | null;
  readonly tmpToAccountId?: string | null;
}

/** Lookups the changelog needs to turn ids into the display strings Jira puts in `fromString`/`toString`. */
export interface ChangelogLookups {
  displayName(accountId: string): string;
  issueKey(issueId: string): string | null;
  project(projectId: string): ProjectRecord | undefined;
}

function item(field: string, fieldId: string | undefined, from: string | null, fromString: string | null, to: string | null, toString: string | null): ChangelogItem {
  return { field, fieldtype: 'jira', ...(fieldId === undefined ? {} : { fieldId }), from, fromString, to, toString };
}

function userItem(field: 'assignee' | 'reporter', before: string | null, after: string | null, lookups: ChangelogLookups): ChangelogItem {
  const name = (accountId: string | null): string | null => (accountId === null ? null : lookups.displayName(accountId));
  return { ...item(field, field, before, name(before), after, name(after)), tmpFromAccountId: before, tmpToAccountId: after };
}

/** Lists the changes between two versions of an issue, in the order Jira lists them (key and project first). */
export function diffIssues(before: IssueRecord, after: IssueRecord, lookups: ChangelogLookups): ChangelogItem[] {
  const items: ChangelogItem[] = [];

  if (before.key !== after.key) {
    items.push(item('Key', undefined, null, before.key, null, after.key));
  }
  if (before.projectId !== after.projectId) {
    const name = (id: string): string | null => lookups.project(id)?.name ?? null;
    items.push(item('project', 'project', before.projectId, name(before.projectId), after.projectId, name(after.projectId)));
  }
  if (before.summary !== after.summary) {
    items.push(item('summary', 'summary', null, before.summary, null, after.summary));
  }
  if (before.description !== after.description) {
    items.push(item('description', 'description', null, before.description, null, after.description));
  }

  items.push(...diffWorkflow(before, after));
  items.push(...diffLists(before, after));

  if (before.assigneeAccountId !== after.assigneeAccountId) {
    items.push(userItem('assignee', before.assigneeAccountId, after.assigneeAccountId, lookups));
  }
  if (before.reporterAccountId !== after.reporterAccountId) {
    items.push(userItem('reporter', before.reporterAccountId, after.reporterAccountId, lookups));
  }
  if (before.parentId !== after.parentId) {
    const key = (id: string | null): string | null => (id === null ? null : lookups.issueKey(id));
    items.push(item('IssueParentAssociation', 'parent', before.parentId, key(before.parentId), after.parentId, key(after.parentId)));
  }
  return items;
}

/** Items for resolution, status, issue type and priority. */
function diffWorkflow(before: IssueRecord, after: IssueRecord): ChangelogItem[] {
  const items: ChangelogItem[] = [];
  const wasDone = findStatus(before.statusId).category.key === 'done';
  const isDone = findStatus(after.statusId).category.key === 'done';

  if (wasDone !== isDone) {
    items.push(item('resolution', 'resolution', wasDone ? '10000' : null, wasDone ? 'Done' : null, isDone ? '10000' : null, isDone ? 'Done' : null));
  }
  if (before.statusId !== after.statusId) {
    items.push(item('status', 'status', before.statusId, findStatus(before.statusId).name, after.statusId, findStatus(after.statusId).name));
  }
  if (before.issueTypeId !== after.issueTypeId) {
    items.push(item('issuetype', 'issuetype', before.issueTypeId, findIssueType(before.issueTypeId).name, after.issueTypeId, findIssueType(after.issueTypeId).name));
  }
  if (before.priorityId !== after.priorityId) {
    items.push(item('priority', 'priority', before.priorityId, findPriority(before.priorityId).name, after.priorityId, findPriority(after.priorityId).name));
  }
  return items;
}

/** Labels change as one item with space-separated strings. Each added or removed component is its own item. */
function diffLists(before: IssueRecord, after: IssueRecord): ChangelogItem[] {
  const items: ChangelogItem[] = [];

  if (before.labels.join(' ') !== after.labels.join(' ')) {
    items.push(item('labels', 'labels', null, before.labels.join(' '), null, after.labels.join(' ')));
  }
  for (const removed of before.components.filter((name) => !after.components.includes(name))) {
    items.push(item('Component', 'components', null, removed, null, null));
  }
  for (const added of after.components.filter((name) => !before.components.includes(name))) {
    items.push(item('Component', 'components', null, null, null, added));
  }
  return items;
}
