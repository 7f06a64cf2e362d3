import * as t from 'io-ts';
import { map, type Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { requireJiraCall } from '../jira/optional-calls.js';
import type { DataCenterUserRef } from '../jira/types.js';
import type { ResourceConfig } from '../mapping/types.js';
import { UserNotFoundError } from './errors.js';
import { decodePayload } from './decode.js';
import { authenticateDelivery, type WebhookAuthentication } from './jira-authentication.js';
import type { PayloadRejection, Processor, ProcessorContext, RawResults, WebhookEvent } from './processor.js';

const USER_EVENTS = { user_created: null, user_updated: null, user_deleted: null };

const UserDetails = t.partial({ displayName: t.string, active: t.unknown, self: t.string });

/** Cloud users carry `accountId`; Data Center users carry `key` and `name` (the username) instead. */
const UserRefCodec = t.union([
  t.intersection([t.type({ accountId: t.string }), UserDetails]),
  t.intersection([t.type({ key: t.string }), t.partial({ name: t.string }), UserDetails]),
  t.intersection([t.type({ name: t.string }), UserDetails]),
]);

const UserPayloadCodec = t.type({ webhookEvent: t.keyof(USER_EVENTS), user: UserRefCodec });

type DecodedUser = t.TypeOf<typeof UserRefCodec>;

/** The validated user payload, with the id the user is fetched by. */
export interface UserPayload {
  readonly webhookEvent: keyof typeof USER_EVENTS;
  readonly user: DecodedUser;
  /** A Cloud accountId, or for Data Center the user key (or the username when the key is missing). */
  readonly userId: string;
  /** Set for a Data Center user: fetch with GET /rest/api/2/user by key or username. */
  readonly dataCenter?: DataCenterUserRef;
}

/**
 * `user_created|updated|deleted`. Every event re-fetches the user: Cloud
 * users by accountId, Data Center users (`name`/`key`, no `accountId`) by
 * key or username. After `user_deleted`, a 404 or `active: false` deletes
 * the entity. A 404 after any other event is a failure, because it is not
 * evidence of a deletion (permissions and propagation delays also give
 * 404), so it is retried through the dead-letter store instead of removing
 * a live user.
 */
export class UserProcessor implements Processor<UserPayload> {
  readonly name = 'user';

  constructor(private readonly authentication: WebhookAuthentication) {}

  shouldProcessEvent(event: WebhookEvent): boolean {
    return Object.hasOwn(USER_EVENTS, event.name);
  }

  getMatchingKinds(): readonly string[] {
    return ['user'];
  }

  authenticate(rawBody: Buffer, headers: Readonly<Record<string, string>>): boolean {
    return authenticateDelivery(this.authentication, rawBody, headers);
  }

  validatePayload(payload: unknown): Either<PayloadRejection, UserPayload> {
    return pipe(decodePayload(UserPayloadCodec, payload), map((decoded) => ({ webhookEvent: decoded.webhookEvent, user: decoded.user, ...identify(decoded.user) })));
  }

  entityId(payload: UserPayload): string {
    return payload.userId;
  }

  isDeletion(): boolean {
    return false;
  }

  async handleEvent(payload: UserPayload, _resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
    const user = payload.dataCenter === undefined
      ? await context.jira.user(payload.userId)
      : await requireJiraCall(context.jira, 'dataCenterUser')(payload.dataCenter);
    const deleted = payload.webhookEvent === 'user_deleted';

    if (user === null) {
      if (deleted) return { updatedRawResults: [], deletedRawResults: [payload.user] };
      throw new UserNotFoundError(payload.userId, payload.webhookEvent);
    }
    if (deleted && isInactive(user.active)) return { updatedRawResults: [], deletedRawResults: [user] };
    return { updatedRawResults: [user], deletedRawResults: [] };
  }
}

function identify(user: DecodedUser): Pick<UserPayload, 'userId' | 'dataCenter'> {
  if ('accountId' in user) return { userId: user.accountId };
  if ('key' in user) return { userId: user.key, dataCenter: { key: user.key } };
  return { userId: user.name, dataCenter: { name: user.name } };
}

/** `active: false`, or the string "false" that Jira's documented example uses. */
function isInactive(active: unknown): boolean {
  return active === false || active === 'false';
}
