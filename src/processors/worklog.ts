import * as t from 'io-ts';
import type { Either } from 'fp-ts/lib/Either.js';
import { requireJiraCall } from '../jira/optional-calls.js';
import type { ResourceConfig } from '../mapping/types.js';
import { decodePayload, JiraId } from './decode.js';
import { issueQueryOf } from './issue.js';
import { authenticateDelivery, type WebhookAuthentication } from './jira-authentication.js';
import type { PayloadRejection, Processor, ProcessorContext, RawResults, WebhookEvent } from './processor.js';

const WORKLOG_EVENTS = { worklog_created: null, worklog_updated: null, worklog_deleted: null };

const WorklogPayloadCodec = t.intersection([
  t.type({
    webhookEvent: t.keyof(WORKLOG_EVENTS),
    worklog: t.intersection([t.type({ id: JiraId, issueId: JiraId }), t.partial({ self: t.string })]),
  }),
  t.partial({ timestamp: t.number }),
]);

export type WorklogPayload = t.TypeOf<typeof WorklogPayloadCodec>;

/**
 * `worklog_created|updated|deleted`. The payload carries only the worklog,
 * which names its issue by `issueId`.
 *
 * - `issue` resource configs: the parent issue is re-fetched as an issue
 *   update would be (its `updated` and time tracking changed). Missing, or
 *   outside the JQL, means delete what was written for it.
 * - `worklog` resource configs (mapped only when the user adds them): a
 *   deleted worklog is deleted from the payload. Otherwise the parent issue
 *   is checked against the selector's `jql` (when set), and then the worklog
 *   is fetched and upserted with `__issueKey`. A parent outside the JQL or a
 *   404 deletes it.
 *
 * `isDeletion` is always false, because the same work item also refreshes
 * the issue, and a deletion would win over that issue's other pending
 * events. `merge` keeps a deletion instead.
 */
export class WorklogProcessor implements Processor<WorklogPayload> {
  readonly name = 'worklog';

  constructor(private readonly authentication: WebhookAuthentication) {}

  shouldProcessEvent(event: WebhookEvent): boolean {
    return Object.hasOwn(WORKLOG_EVENTS, event.name);
  }

  getMatchingKinds(): readonly string[] {
    return ['issue', 'worklog'];
  }

  authenticate(rawBody: Buffer, headers: Readonly<Record<string, string>>): boolean {
    return authenticateDelivery(this.authentication, rawBody, headers);
  }

  validatePayload(payload: unknown): Either<PayloadRejection, WorklogPayload> {
    return decodePayload(WorklogPayloadCodec, payload);
  }

  entityId(payload: WorklogPayload, kind: string): string {
    return kind === 'issue' ? payload.worklog.issueId : payload.worklog.id;
  }

  isDeletion(): boolean {
    return false;
  }

  /** Keeps a deletion over later events, because a worklog id is never reused. */
  merge(earlier: WorklogPayload, later: WorklogPayload): WorklogPayload {
    return earlier.webhookEvent === 'worklog_deleted' ? earlier : later;
  }

  handleEvent(payload: WorklogPayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
    return resource.kind === 'issue' ? refreshParentIssue(payload, resource, context) : refreshWorklog(payload, resource, context);
  }
}

async function refreshParentIssue(payload: WorklogPayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
  const issueId = payload.worklog.issueId;
  const [issue] = await context.jira.issuesById([issueId], issueQueryOf(resource));
  if (issue !== undefined) return { updatedRawResults: [issue], deletedRawResults: [] };

  return { updatedRawResults: [], deletedRawResults: [], deletedEntities: context.written.entitiesOf(resource.index, issueId) };
}

async function refreshWorklog(payload: WorklogPayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
  const { id, issueId } = payload.worklog;
  const deletion = { updatedRawResults: [], deletedRawResults: [payload.worklog], deletedEntities: context.written.entitiesOf(resource.index, id) };
  if (payload.webhookEvent === 'worklog_deleted') return deletion;

  const jql = resource.selector['jql'];
  const [parent] = await context.jira.issuesById([issueId], { ...(typeof jql === 'string' ? { jql } : {}), fields: 'key' });
  if (parent === undefined) return deletion;

  const worklog = await requireJiraCall(context.jira, 'worklog')(issueId, id);
  if (worklog === null) return deletion;
  return { updatedRawResults: [{ ...worklog, __issueKey: parent.key }], deletedRawResults: [] };
}
