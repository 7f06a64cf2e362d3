import * as t from 'io-ts';
import type { Either } from 'fp-ts/lib/Either.js';
import type { ResourceConfig } from '../mapping/types.js';
import { decodePayload, JiraId } from './decode.js';
import { refreshIssue } from './issue.js';
import { authenticateDelivery, type WebhookAuthentication } from './jira-authentication.js';
import type { PayloadRejection, Processor, ProcessorContext, RawResults, WebhookEvent } from './processor.js';

const COMMENT_EVENTS = { comment_created: null, comment_updated: null, comment_deleted: null };

const CommentPayloadCodec = t.intersection([
  t.type({
    webhookEvent: t.keyof(COMMENT_EVENTS),
    comment: t.type({ id: JiraId }),
  }),
  t.partial({
    issue: t.intersection([t.type({ id: JiraId, key: t.string }), t.partial({ self: t.string, fields: t.UnknownRecord })]),
  }),
]);

export type CommentPayload = t.TypeOf<typeof CommentPayloadCodec>;

/**
 * `comment_created|updated|deleted`. The payload carries only a reduced
 * issue, so the processor re-fetches the parent issue exactly as an issue
 * update would.
 *
 * Data Center sends each comment twice: a stripped `comment_*` without the
 * issue and a full `jira:issue_updated` (`issue_comment*`), which the issue
 * processor handles. The stripped event ends as ignored with that reason;
 * it is still authenticated and validated first.
 */
export class CommentProcessor implements Processor<CommentPayload> {
  readonly name = 'comment';

  constructor(private readonly authentication: WebhookAuthentication) {}

  shouldProcessEvent(event: WebhookEvent): boolean {
    return Object.hasOwn(COMMENT_EVENTS, event.name);
  }

  getMatchingKinds(): readonly string[] {
    return ['issue'];
  }

  authenticate(rawBody: Buffer, headers: Readonly<Record<string, string>>): boolean {
    return authenticateDelivery(this.authentication, rawBody, headers);
  }

  validatePayload(payload: unknown): Either<PayloadRejection, CommentPayload> {
    return decodePayload(CommentPayloadCodec, payload);
  }

  /** Returns the issue id, or for a stripped event a key on its comment that no issue id can equal. */
  entityId(payload: CommentPayload): string {
    return payload.issue?.id ?? `comment-${payload.comment.id}`;
  }

  isDeletion(): boolean {
    return false;
  }

  async handleEvent(payload: CommentPayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
    const issue = payload.issue;
    if (issue === undefined) {
      return {
        updatedRawResults: [],
        deletedRawResults: [],
        ignoredReason: `${payload.webhookEvent} for comment ${payload.comment.id} carries no issue (a Data Center comment event); ` +
          'the jira:issue_updated that Jira sends with it refreshes the issue',
      };
    }
    return refreshIssue(issue, (currentKey) => (currentKey === issue.key ? [] : [issue]), resource, context);
  }
}
