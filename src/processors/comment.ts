import * as t from 'io-ts';
import type { Either } from 'fp-ts/lib/Either.js';
import type { ResourceConfig } from '../mapping/types.js';
import { decodePayload, JiraId } from './decode.js';
import { refreshIssue } from './issue.js';
import { authenticateDelivery, type WebhookAuthentication } from './jira-authentication.js';
import type { PayloadRejection, Processor, ProcessorContext, RawResults, WebhookEvent } from './processor.js';

const COMMENT_EVENTS = { comment_created: null, comment_updated: null, comment_deleted: null };

const CommentPayloadCodec = t.type({
  webhookEvent: t.keyof(COMMENT_EVENTS),
  comment: t.type({ id: JiraId }),
  issue: t.intersection([t.type({ id: JiraId, key: t.string }), t.partial({ self: t.string, fields: t.UnknownRecord })]),
});

export type CommentPayload = t.TypeOf<typeof CommentPayloadCodec>;

/**
 * `comment_created|updated|deleted`. The payload carries only a reduced
 * issue, so the processor re-fetches the parent issue exactly as an issue
 * update would. Data Center sends a stripped comment event without the
 * issue next to a full `jira:issue_updated`; such a comment event is not
 * this processor's and ends as ignored.
 */
export class CommentProcessor implements Processor<CommentPayload> {
  readonly name = 'comment';

  constructor(private readonly authentication: WebhookAuthentication) {}

  shouldProcessEvent(event: WebhookEvent): boolean {
    const issue = event.payload['issue'];
    return event.name in COMMENT_EVENTS && typeof issue === 'object' && issue !== null;
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

  entityId(payload: CommentPayload): string {
    return payload.issue.id;
  }

  isDeletion(): boolean {
    return false;
  }

  handleEvent(payload: CommentPayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
    return refreshIssue(payload.issue, (currentKey) => (currentKey === payload.issue.key ? [] : [payload.issue]), resource, context);
  }
}
