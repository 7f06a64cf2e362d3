import { InvalidInputError, NotFoundError } from './errors.js';
import type { IssueRecord, WorklogInput, WorklogPatch, WorklogRecord } from './model.js';
import type { JiraStore } from './store.js';
import { parseTimestamp } from './time.js';
import { worklogEventBody, type WorklogEventName } from './webhook-bodies.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

/**
 * Worklog changes, each with its `worklog_*` webhook. Each change also sets
 * the issue's `updated` to now, as logging work does in Jira.
 *
 * NOTE: Only `worklog_*` is sent. Whether Jira Cloud also sends a
 * `jira:issue_updated` (issue_worklogged) for each worklog is unconfirmed.
 */
export class WorklogOperations {
  constructor(
    private readonly store: JiraStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  add(issueIdOrKey: string, input: WorklogInput): WorklogRecord {
    const issue = this.requireEditableIssue(issueIdOrKey);
    checkSeconds(input.timeSpentSeconds);
    if (input.authorAccountId !== undefined) this.store.resolveUser(input.authorAccountId);

    const now = this.store.clock.now();
    const worklog: WorklogRecord = {
      id: this.store.allocateId('worklog'),
      issueId: issue.id,
      authorAccountId: input.authorAccountId ?? null,
      comment: input.comment ?? '',
      started: input.started === undefined ? now : parseTimestamp(input.started, 'started'),
      timeSpentSeconds: input.timeSpentSeconds,
      created: now,
      updated: now,
    };
    return this.commit(issue, worklog, 'worklog_created', now);
  }

  update(issueIdOrKey: string, worklogId: string, patch: WorklogPatch): WorklogRecord {
    const issue = this.requireEditableIssue(issueIdOrKey);
    const before = this.resolve(issue.id, worklogId);
    if (patch.timeSpentSeconds !== undefined) checkSeconds(patch.timeSpentSeconds);

    const now = this.store.clock.now();
    const worklog: WorklogRecord = {
      ...before,
      comment: patch.comment ?? before.comment,
      started: patch.started === undefined ? before.started : parseTimestamp(patch.started, 'started'),
      timeSpentSeconds: patch.timeSpentSeconds ?? before.timeSpentSeconds,
      updated: now,
    };
    return this.commit(issue, worklog, 'worklog_updated', now);
  }

  delete(issueIdOrKey: string, worklogId: string): WorklogRecord {
    const issue = this.requireEditableIssue(issueIdOrKey);
    const worklog = this.resolve(issue.id, worklogId);
    const now = this.store.clock.now();

    this.store.worklogs.delete(worklog.id);
    this.store.putIssue({ ...issue, updated: now }, now);
    this.dispatcher.dispatch('worklog_deleted', worklogEventBody(this.store, 'worklog_deleted', worklog, now), { issue });
    return worklog;
  }

  /** Finds a worklog of the issue. Throws `NotFoundError`. */
  resolve(issueId: string, worklogId: string): WorklogRecord {
    const worklog = this.store.worklogs.get(worklogId);
    if (worklog === undefined || worklog.issueId !== issueId) {
      throw new NotFoundError('worklog', worklogId, `Cannot find worklog with id: ${worklogId}.`);
    }
    return worklog;
  }

  private commit(issue: IssueRecord, worklog: WorklogRecord, event: WorklogEventName, now: number): WorklogRecord {
    this.store.worklogs.set(worklog.id, worklog);
    this.store.putIssue({ ...issue, updated: now }, now);
    this.dispatcher.dispatch(event, worklogEventBody(this.store, event, worklog, now), { issue });
    return worklog;
  }

  /** Archived and trashed projects are read-only in Jira. */
  private requireEditableIssue(idOrKey: string): IssueRecord {
    const issue = this.store.resolveIssue(idOrKey);
    const project = this.store.resolveProject(issue.projectId);
    if (project.archivedAt !== null || project.deletedAt !== null) {
      throw new InvalidInputError(`Project ${project.key} is archived or in the trash, so you cannot log work on its issues; restore it first.`);
    }
    return issue;
  }
}

function checkSeconds(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 60) {
    throw new InvalidInputError(`Invalid timeSpentSeconds ${String(seconds)}; log at least 60 whole seconds.`);
  }
}
