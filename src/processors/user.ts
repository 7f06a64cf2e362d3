import * as t from 'io-ts';
import type { Either } from 'fp-ts/lib/Either.js';
import { UserNotFoundError } from './errors.js';
import { decodePayload } from './decode.js';
import { authenticateDelivery, type WebhookAuthentication } from './jira-authentication.js';
import type { PayloadRejection, Processor, ProcessorContext, RawResults, WebhookEvent } from './processor.js';

const USER_EVENTS = { user_created: null, user_updated: null, user_deleted: null };

const UserPayloadCodec = t.type({
  webhookEvent: t.keyof(USER_EVENTS),
  user: t.intersection([t.type({ accountId: t.string }), t.partial({ displayName: t.string, active: t.unknown })]),
});

export type UserPayload = t.TypeOf<typeof UserPayloadCodec>;

/**
 * `user_created|updated|deleted`. Every event re-fetches the user by
 * accountId. After `user_deleted`, a 404 or `active: false` deletes the
 * entity; a 404 after any other event is a failure (it is not evidence of a
 * deletion), so it is retried through the dead-letter store instead of
 * removing a live user.
 */
export class UserProcessor implements Processor<UserPayload> {
  readonly name = 'user';

  constructor(private readonly authentication: WebhookAuthentication) {}

  shouldProcessEvent(event: WebhookEvent): boolean {
    return event.name in USER_EVENTS;
  }

  getMatchingKinds(): readonly string[] {
    return ['user'];
  }

  authenticate(rawBody: Buffer, headers: Readonly<Record<string, string>>): boolean {
    return authenticateDelivery(this.authentication, rawBody, headers);
  }

  validatePayload(payload: unknown): Either<PayloadRejection, UserPayload> {
    return decodePayload(UserPayloadCodec, payload);
  }

  entityId(payload: UserPayload): string {
    return payload.user.accountId;
  }

  isDeletion(): boolean {
    return false;
  }

  async handleEvent(payload: UserPayload, _resource: unknown, context: ProcessorContext): Promise<RawResults> {
    const user = await context.jira.user(payload.user.accountId);
    const deleted = payload.webhookEvent === 'user_deleted';

    if (user === null) {
      if (deleted) return { updatedRawResults: [], deletedRawResults: [payload.user] };
      throw new UserNotFoundError(payload.user.accountId, payload.webhookEvent);
    }
    if (deleted && user.active === false) return { updatedRawResults: [], deletedRawResults: [user] };
    return { updatedRawResults: [user], deletedRawResults: [] };
  }
}
