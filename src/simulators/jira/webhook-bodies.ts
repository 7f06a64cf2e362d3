import type { ChangelogItem } from './changelog.js';
import type { BoardRecord, CommentRecord, IssueRecord, ProjectRecord, SprintRecord, UserRecord, VersionRecord, WorklogRecord } from './model.js';
import { renderWebhookProject } from './project-representations.js';
import { apiBase, avatarUrls, renderComment, renderIssue, renderReducedIssue, renderUserRef, type RenderContext } from './representations.js';
import { renderBoard, renderSprint, renderVersion, renderWorklog } from './software-representations.js';

/**
 * Builders of webhook bodies, shaped like the Jira Cloud deliveries in the
 * repository's `fixtures/payloads` (REST v2 representation, `timestamp` in
 * epoch ms, numeric project ids in project events).
 */

type Json = Record<string, unknown>;

export type IssueEventName = 'jira:issue_created' | 'jira:issue_updated' | 'jira:issue_deleted';

export type ProjectEventName =
  | 'project_created'
  | 'project_updated'
  | 'project_deleted'
  | 'project_soft_deleted'
  | 'project_restored_deleted'
  | 'project_archived'
  | 'project_restored_archived';

export type UserEventName = 'user_created' | 'user_updated' | 'user_deleted';

export type VersionEventName =
  | 'jira:version_created'
  | 'jira:version_updated'
  | 'jira:version_released'
  | 'jira:version_unreleased'
  | 'jira:version_moved'
  | 'jira:version_deleted';

export type SprintEventName = 'sprint_created' | 'sprint_updated' | 'sprint_started' | 'sprint_closed' | 'sprint_deleted';

export type BoardEventName = 'board_created' | 'board_updated' | 'board_deleted' | 'board_configuration_changed';

export type WorklogEventName = 'worklog_created' | 'worklog_updated' | 'worklog_deleted';

/** The account id of the user the simulator names as the author of every change. */
export const SIMULATOR_ACTOR_ACCOUNT_ID = '557058:00000000-0000-4000-8000-00000000a11c';

const ACTOR: UserRecord = {
  accountId: SIMULATOR_ACTOR_ACCOUNT_ID,
  displayName: 'Jira Simulator',
  emailAddress: null,
  timeZone: 'UTC',
  active: true,
  accountType: 'atlassian',
};

/** Returns the acting user of webhook bodies. The simulator resolves it, but `users()` does not list it. */
export function actorRecord(): UserRecord {
  return ACTOR;
}

export interface IssueEventDetails {
  readonly issueEventTypeName: string;
  readonly changelog?: { readonly id: string; readonly items: readonly ChangelogItem[] };
}

export function issueEventBody(context: RenderContext, event: IssueEventName, issue: IssueRecord, details: IssueEventDetails, timestamp: number): Json {
  return {
    timestamp,
    webhookEvent: event,
    issue_event_type_name: details.issueEventTypeName,
    user: renderUserRef(context, SIMULATOR_ACTOR_ACCOUNT_ID, 'v2'),
    issue: renderIssue(context, issue, 'v2', (field) => field !== 'comment'),
    ...(details.changelog === undefined ? {} : { changelog: details.changelog }),
  };
}

/** `comment_*` bodies carry the reduced issue and no `user` or `issue_event_type_name`. */
export function commentEventBody(context: RenderContext, event: 'comment_created', issue: IssueRecord, comment: CommentRecord, timestamp: number): Json {
  return {
    timestamp,
    webhookEvent: event,
    comment: renderComment(context, issue.id, comment, 'v2'),
    issue: renderReducedIssue(context, issue),
  };
}

export function projectEventBody(context: RenderContext, event: ProjectEventName, project: ProjectRecord, timestamp: number): Json {
  return { timestamp, webhookEvent: event, project: renderWebhookProject(context, project) };
}

/**
 * Cloud user bodies omit `emailAddress` and `locale`, as Jira's do. A Data
 * Center user carries `name` and `key` and no `accountId`.
 */
export function userEventBody(context: RenderContext, event: UserEventName, user: UserRecord, timestamp: number): Json {
  if (user.dataCenter !== undefined) return { timestamp, webhookEvent: event, user: renderDataCenterUser(context, user) };

  const reference = renderUserRef(context, user.accountId, 'v2');
  return { timestamp, webhookEvent: event, user: { ...reference, displayName: user.displayName, active: user.active } };
}

/** Builds a Data Center user as webhooks and GET /rest/api/2/user return it: `self` by username, `name`, `key`, no `accountId`. */
export function renderDataCenterUser(context: RenderContext, user: UserRecord): Json {
  const name = user.dataCenter?.name ?? user.accountId;
  return {
    self: `${apiBase(context, 'v2')}/user?username=${encodeURIComponent(name)}`,
    name,
    key: user.dataCenter?.key ?? user.accountId,
    ...(user.emailAddress === null ? {} : { emailAddress: user.emailAddress }),
    avatarUrls: avatarUrls(context, 'user', name),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
  };
}

/** Formats an epoch-ms timestamp as its `YYYY-MM-DD` date in UTC. */
function dateOf(timestamp: number): string {
  return new Date(timestamp).toISOString().slice(0, 10);
}

/** A merge arrives as `jira:version_deleted` with the version merged into as `mergedTo`. */
export function versionEventBody(context: RenderContext, event: VersionEventName, version: VersionRecord, timestamp: number, mergedTo?: VersionRecord): Json {
  return {
    timestamp,
    webhookEvent: event,
    version: renderVersion(context, version, 'v2', dateOf(timestamp)),
    ...(mergedTo === undefined ? {} : { mergedTo: renderVersion(context, mergedTo, 'v2', dateOf(timestamp)) }),
  };
}

export function sprintEventBody(context: RenderContext, event: SprintEventName, sprint: SprintRecord, timestamp: number): Json {
  return { timestamp, webhookEvent: event, sprint: renderSprint(context, sprint) };
}

export function boardEventBody(context: RenderContext, event: BoardEventName, board: BoardRecord, timestamp: number): Json {
  return { timestamp, webhookEvent: event, board: renderBoard(context, board) };
}

/** Worklog bodies carry only the worklog; its `issueId` names the issue. */
export function worklogEventBody(context: RenderContext, event: WorklogEventName, worklog: WorklogRecord, timestamp: number): Json {
  return { timestamp, webhookEvent: event, worklog: renderWorklog(context, worklog, 'v2') };
}
