import type { ChangelogItem } from './changelog.js';
import type { CommentRecord, IssueRecord, ProjectRecord, UserRecord } from './model.js';
import { renderWebhookProject } from './project-representations.js';
import { renderComment, renderIssue, renderReducedIssue, renderUserRef, type RenderContext } from './representations.js';

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

/** User bodies omit `emailAddress` and `locale`, as Jira's do. */
export function userEventBody(context: RenderContext, event: UserEventName, user: UserRecord, timestamp: number): Json {
  const reference = renderUserRef(context, user.accountId, 'v2');
  return { timestamp, webhookEvent: event, user: { ...reference, displayName: user.displayName, active: user.active } };
}
