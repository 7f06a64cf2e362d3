import type { Logger } from '../../core/logger.js';
import { compileJql } from './jql-evaluator.js';
import { assertLoopbackUrl } from './loopback.js';
import type { BoardRecord, IssueRecord, ProjectRecord, SprintRecord, VersionRecord } from './model.js';
import type { JiraStore } from './store.js';
import { SIMULATOR_ACTOR_ACCOUNT_ID } from './webhook-bodies.js';
import { expandUrlVariables, ISSUE_EVENTS_FILTER, WebhookRegistry, type RegisteredWebhook } from './webhook-registry.js';
import type { WebhookSender, WebhookTarget } from './webhook-sender.js';

/** The objects a webhook event is about, for JQL filters and URL variables. */
export interface EventSubject {
  readonly issue?: IssueRecord;
  readonly project?: ProjectRecord;
  readonly version?: VersionRecord;
  /** The version another one was merged into. */
  readonly mergedVersion?: VersionRecord;
  readonly sprint?: SprintRecord;
  readonly board?: BoardRecord;
}

/**
 * Sends each webhook event to the configured target (every event) and to
 * each registered admin webhook that lists the event and whose JQL filter,
 * if any, matches the issue. Every receiver gets its own identifier.
 */
export class WebhookDispatcher {
  readonly registry = new WebhookRegistry();
  private primary: WebhookTarget | null = null;

  constructor(
    private readonly store: JiraStore,
    private readonly sender: WebhookSender,
    private readonly logger: Logger,
  ) {}

  /** Sets or clears the target that receives every event. The URL must be on the loopback interface. */
  setTarget(target: WebhookTarget | null): void {
    if (target !== null) assertLoopbackUrl(target.url, 'webhook url');
    this.primary = target === null ? null : { url: target.url, ...(target.secret === undefined ? {} : { secret: target.secret }) };
  }

  target(): WebhookTarget | null {
    return this.primary;
  }

  dispatch(event: string, body: Record<string, unknown>, subject: EventSubject): void {
    if (this.primary !== null) {
      this.sender.send(this.primary, event, body);
    }

    for (const webhook of this.registry.subscribers(event)) {
      if (!this.passesFilter(webhook, event, subject)) continue;

      const url = expandUrlVariables(webhook.url, this.urlVariables(subject));
      assertLoopbackUrl(url, 'webhook url');
      this.sender.send({ url, excludeBody: webhook.excludeBody, ...(webhook.secret === undefined ? {} : { secret: webhook.secret }) }, event, body);
    }
  }

  /** Applies the registration's JQL filter to issue, comment and worklog events. Other events always pass. */
  private passesFilter(webhook: RegisteredWebhook, event: string, subject: EventSubject): boolean {
    const jql = webhook.filters[ISSUE_EVENTS_FILTER];
    const issueRelated = event.startsWith('jira:issue_') || event.startsWith('comment_') || event.startsWith('worklog_');
    if (jql === undefined || jql.trim() === '' || !issueRelated || subject.issue === undefined) return true;

    try {
      return compileJql(jql).matches(this.store.subject(subject.issue));
    } catch (error) {
      this.logger.error({ webhookId: webhook.id, event, error: error instanceof Error ? error.message : String(error) }, 'Webhook JQL filter is invalid, so the event was not sent to this webhook');
      return false;
    }
  }

  private urlVariables(subject: EventSubject): Record<string, string> {
    const project = subject.project ?? (subject.issue === undefined ? undefined : this.store.findProjectById(subject.issue.projectId));
    return {
      'modifiedUser.accountId': SIMULATOR_ACTOR_ACCOUNT_ID,
      ...(subject.issue === undefined ? {} : { 'issue.id': subject.issue.id, 'issue.key': subject.issue.key }),
      ...(project === undefined ? {} : { 'project.id': project.id, 'project.key': project.key }),
      ...(subject.version === undefined ? {} : { 'version.id': subject.version.id }),
      ...(subject.mergedVersion === undefined ? {} : { 'mergedVersion.id': subject.mergedVersion.id }),
      ...(subject.sprint === undefined ? {} : { 'sprint.id': subject.sprint.id }),
      ...(subject.board === undefined ? {} : { 'board.id': subject.board.id }),
    };
  }
}
