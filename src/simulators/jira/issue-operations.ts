import { findIssueType, findPriority, findStatus } from './catalog.js';
import { diffIssues, type ChangelogItem, type ChangelogLookups } from './changelog.js';
import { ConflictError, InvalidInputError } from './errors.js';
import type { CommentRecord, IssueInput, IssuePatch, IssueRecord, ProjectRecord } from './model.js';
import type { JiraStore } from './store.js';
import { parseTimestamp } from './time.js';
import { commentEventBody, issueEventBody, type IssueEventName } from './webhook-bodies.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

/** The fields of an issue that `IssuePatch` can set, resolved to catalog ids. */
type EditableFields = Pick<
  IssueRecord,
  'summary' | 'description' | 'statusId' | 'issueTypeId' | 'priorityId' | 'labels' | 'components' | 'assigneeAccountId' | 'reporterAccountId' | 'parentId'
>;

const NEW_ISSUE_DEFAULTS: EditableFields = {
  summary: '',
  description: null,
  statusId: findStatus('To Do').id,
  issueTypeId: findIssueType('Task').id,
  priorityId: findPriority('Medium').id,
  labels: [],
  components: [],
  assigneeAccountId: null,
  reporterAccountId: null,
  parentId: null,
};

/** Issue changes: create, update, move, delete and comment, each with the webhook Jira sends for it. */
export class IssueOperations {
  constructor(
    private readonly store: JiraStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /**
   * Creates an issue in a live project. With `notify: false` (bulk load) it
   * sends no webhook, accepts an explicit id and timestamps, and indexes the
   * issue as visible to searches at any lag.
   */
  create(input: IssueInput, notify = true): IssueRecord {
    const project = this.requireLiveProject(input.projectKey, 'create issues in it');
    if (input.id !== undefined && this.store.issues.has(input.id)) {
      throw new ConflictError(`An issue with id ${input.id} already exists.`);
    }

    const fields = this.resolveFields(input, NEW_ISSUE_DEFAULTS);
    const now = this.store.clock.now();
    const created = input.created === undefined ? now : parseTimestamp(input.created, 'created');
    const updated = input.updated === undefined ? created : parseTimestamp(input.updated, 'updated');
    this.store.clock.observe(updated);

    const issue: IssueRecord = {
      ...fields,
      id: this.store.allocateId('issue', input.id),
      key: `${project.key}-${project.nextIssueNumber}`,
      previousKeys: [],
      projectId: project.id,
      creatorAccountId: fields.reporterAccountId,
      created,
      updated,
      statusCategoryChangedAt: created,
      resolutionDate: findStatus(fields.statusId).category.key === 'done' ? updated : null,
      comments: [],
    };
    this.store.putProject({ ...project, nextIssueNumber: project.nextIssueNumber + 1 });
    this.store.putIssue(issue, notify ? now : 0);

    if (notify) this.notify('jira:issue_created', issue, 'issue_created');
    return issue;
  }

  /** Applies `patch`. A patch that changes nothing sends no webhook and leaves `updated` as it was. */
  update(idOrKey: string, patch: IssuePatch): IssueRecord {
    const before = this.store.resolveIssue(idOrKey);
    this.requireLiveProject(before.projectId, 'edit its issues');

    const fields = this.resolveFields(patch, before);
    const candidate: IssueRecord = { ...before, ...fields };
    const items = diffIssues(before, candidate, this.lookups());
    if (items.length === 0) return before;

    return this.commit(before, candidate, items, eventTypeName(items));
  }

  /** Moves the issue to another project: it gets the target's next key, and its old key stays an alias. */
  move(idOrKey: string, targetProjectKey: string): IssueRecord {
    const before = this.store.resolveIssue(idOrKey);
    const target = this.requireLiveProject(targetProjectKey, 'move issues to it');
    if (target.id === before.projectId) {
      throw new InvalidInputError(`Issue ${before.key} is already in project ${target.key}; choose another target project.`);
    }

    this.store.putProject({ ...target, nextIssueNumber: target.nextIssueNumber + 1 });
    const candidate: IssueRecord = {
      ...before,
      key: `${target.key}-${target.nextIssueNumber}`,
      previousKeys: [...before.previousKeys, before.key],
      projectId: target.id,
    };
    return this.commit(before, candidate, diffIssues(before, candidate, this.lookups()), 'issue_moved');
  }

  /** Deletes the issue and its sub-tasks, each with its own `jira:issue_deleted`. */
  delete(idOrKey: string): IssueRecord {
    const issue = this.store.resolveIssue(idOrKey);
    for (const subtask of this.store.subtasksOf(issue.id)) this.delete(subtask.id);

    this.store.removeIssue(issue, this.store.clock.now());
    this.notify('jira:issue_deleted', issue, 'issue_deleted');
    return issue;
  }

  /** Adds a comment, sets the issue's `updated` to now, and sends `comment_created`. */
  addComment(idOrKey: string, body: string, authorAccountId?: string): { issue: IssueRecord; comment: CommentRecord } {
    const before = this.store.resolveIssue(idOrKey);
    this.requireLiveProject(before.projectId, 'comment on its issues');
    if (typeof body !== 'string' || body.trim() === '') {
      throw new InvalidInputError(`A comment on ${before.key} needs a non-empty body.`);
    }
    if (authorAccountId !== undefined) this.store.resolveUser(authorAccountId);

    const now = this.store.clock.now();
    const comment: CommentRecord = { id: this.store.allocateId('comment'), body, authorAccountId: authorAccountId ?? null, created: now, updated: now };
    const issue: IssueRecord = { ...before, comments: [...before.comments, comment], updated: now };
    this.store.putIssue(issue, now);

    // NOTE: Only `comment_created` is sent. Whether Jira Cloud also sends a
    // `jira:issue_updated` (issue_commented) for each comment is unconfirmed.
    const payload = commentEventBody(this.store, 'comment_created', issue, comment, now);
    this.dispatcher.dispatch('comment_created', payload, { issue });
    return { issue, comment };
  }

  /** Stores the new version with a fresh `updated` and sends `jira:issue_updated` with its changelog. */
  private commit(before: IssueRecord, candidate: IssueRecord, items: ChangelogItem[], typeName: string): IssueRecord {
    const now = this.store.clock.now();
    const categoryBefore = findStatus(before.statusId).category.key;
    const categoryAfter = findStatus(candidate.statusId).category.key;

    let resolutionDate: number | null = null;
    if (categoryAfter === 'done') resolutionDate = categoryBefore === 'done' ? before.resolutionDate : now;

    const issue: IssueRecord = {
      ...candidate,
      updated: now,
      statusCategoryChangedAt: categoryBefore === categoryAfter ? before.statusCategoryChangedAt : now,
      resolutionDate,
    };
    this.store.putIssue(issue, now);

    const changelog = { id: this.store.allocateId('changelog'), items };
    this.notify('jira:issue_updated', issue, typeName, changelog);
    return issue;
  }

  /** Validates the patch fields against the catalog and the users, over `base`. */
  private resolveFields(patch: IssuePatch, base: EditableFields): EditableFields {
    const summary = patch.summary ?? base.summary;
    if (typeof summary !== 'string' || summary.trim() === '') {
      throw new InvalidInputError('An issue needs a non-empty summary.');
    }
    const labels = patch.labels ?? base.labels;
    const spaced = labels.find((label) => typeof label !== 'string' || label === '' || /\s/.test(label));
    if (spaced !== undefined) {
      throw new InvalidInputError(`Invalid label ${JSON.stringify(spaced)}; Jira labels are non-empty and contain no spaces.`);
    }

    const assignee = patch.assigneeAccountId === undefined ? base.assigneeAccountId : patch.assigneeAccountId;
    const reporter = patch.reporterAccountId === undefined ? base.reporterAccountId : patch.reporterAccountId;
    const parentId = patch.parentId === undefined ? base.parentId : patch.parentId;
    if (assignee !== null) this.store.resolveUser(assignee);
    if (reporter !== null) this.store.resolveUser(reporter);
    if (parentId !== null) this.store.resolveIssue(parentId);

    return {
      summary,
      description: patch.description === undefined ? base.description : patch.description,
      statusId: patch.status === undefined ? base.statusId : findStatus(patch.status).id,
      issueTypeId: patch.issuetype === undefined ? base.issueTypeId : findIssueType(patch.issuetype).id,
      priorityId: patch.priority === undefined ? base.priorityId : findPriority(patch.priority).id,
      labels: [...labels],
      components: [...(patch.components ?? base.components)],
      assigneeAccountId: assignee,
      reporterAccountId: reporter,
      parentId,
    };
  }

  /** Archived and trashed projects are read-only in Jira. */
  private requireLiveProject(idOrKey: string, action: string): ProjectRecord {
    const project = this.store.resolveProject(idOrKey);
    if (project.archivedAt !== null || project.deletedAt !== null) {
      const state = project.deletedAt !== null ? 'in the trash' : 'archived';
      throw new InvalidInputError(`Project ${project.key} is ${state}, so you cannot ${action}; restore it first.`);
    }
    return project;
  }

  private lookups(): ChangelogLookups {
    return {
      displayName: (accountId) => this.store.findUser(accountId)?.displayName ?? 'Former user',
      issueKey: (issueId) => this.store.findIssueById(issueId)?.key ?? null,
      project: (projectId) => this.store.findProjectById(projectId),
    };
  }

  private notify(event: IssueEventName, issue: IssueRecord, typeName: string, changelog?: { id: string; items: ChangelogItem[] }): void {
    const body = issueEventBody(this.store, event, issue, { issueEventTypeName: typeName, ...(changelog === undefined ? {} : { changelog }) }, this.store.clock.now());
    this.dispatcher.dispatch(event, body, { issue });
  }
}

/** Jira's event type: `issue_generic` for transitions, `issue_assigned` for a lone assignee change, else `issue_updated`. */
function eventTypeName(items: readonly ChangelogItem[]): string {
  if (items.some((item) => item.field === 'status')) return 'issue_generic';
  if (items.length === 1 && items[0]?.field === 'assignee') return 'issue_assigned';
  return 'issue_updated';
}
