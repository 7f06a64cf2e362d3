import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidInputError } from './errors.js';
import type { DataCenterIdentity, UserInput, UserPatch, UserRecord } from './model.js';
import type { JiraStore } from './store.js';
import { userEventBody, type UserEventName } from './webhook-bodies.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

/**
 * Outcome of deleting a user, since Jira Cloud reports a deleted account in
 * two ways. `404` removes the account, so `GET /user` returns 404.
 * `inactive` keeps it with `active: false`.
 */
export type UserDeletionMode = '404' | 'inactive';

/** User changes, each with its `user_*` webhook. */
export class UserOperations {
  constructor(
    private readonly store: JiraStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  create(input: UserInput, notify = true): UserRecord {
    if (typeof input.displayName !== 'string' || input.displayName.trim() === '') {
      throw new InvalidInputError('A user needs a non-empty displayName.');
    }
    const accountId = input.accountId ?? `712020:${randomUUID()}`;
    if (this.store.findUser(accountId) !== undefined) {
      throw new ConflictError(`A user with account ID '${accountId}' already exists.`);
    }

    const dataCenter = this.dataCenterIdentity(input);

    const user: UserRecord = {
      accountId,
      displayName: input.displayName,
      emailAddress: input.emailAddress ?? null,
      timeZone: input.timeZone ?? 'UTC',
      active: input.active ?? true,
      accountType: input.accountType ?? 'atlassian',
      ...(dataCenter === undefined ? {} : { dataCenter }),
    };
    this.store.users.set(accountId, user);
    if (notify) this.notify('user_created', user);
    return user;
  }

  update(accountId: string, patch: UserPatch): UserRecord {
    const before = this.requireStoredUser(accountId);
    const user: UserRecord = {
      ...before,
      displayName: patch.displayName ?? before.displayName,
      emailAddress: patch.emailAddress === undefined ? before.emailAddress : patch.emailAddress,
      timeZone: patch.timeZone ?? before.timeZone,
      active: patch.active ?? before.active,
    };
    this.store.users.set(accountId, user);
    this.notify('user_updated', user);
    return user;
  }

  /** Deletes or deactivates the user (see `UserDeletionMode`) and sends `user_deleted` with `active: false`. */
  delete(accountId: string, mode: UserDeletionMode): UserRecord {
    const before = this.requireStoredUser(accountId);
    if (mode !== '404' && mode !== 'inactive') {
      throw new InvalidInputError(`Invalid deletion mode "${String(mode)}"; use "404" or "inactive".`);
    }

    const user: UserRecord = { ...before, active: false };
    if (mode === '404') this.store.users.delete(accountId);
    else this.store.users.set(accountId, user);

    this.notify('user_deleted', user);
    return user;
  }

  /** Returns the input's Data Center username and key, after checking that both or neither are set and that no other user has them. */
  private dataCenterIdentity(input: UserInput): DataCenterIdentity | undefined {
    if (input.name === undefined && input.key === undefined) return undefined;
    if (!input.name || !input.key) {
      throw new InvalidInputError('A Data Center user needs both a non-empty name (username) and a non-empty key.');
    }
    if (this.store.findDataCenterUser({ key: input.key }) !== undefined || this.store.findDataCenterUser({ name: input.name }) !== undefined) {
      throw new ConflictError(`A Data Center user with the name '${input.name}' or the key '${input.key}' already exists.`);
    }
    return { name: input.name, key: input.key };
  }

  /** Resolves a user the simulator stores. The built-in actor cannot be changed. */
  private requireStoredUser(accountId: string): UserRecord {
    const user = this.store.resolveUser(accountId);
    if (!this.store.users.has(accountId)) {
      throw new InvalidInputError(`User '${accountId}' is the simulator's built-in actor and cannot be changed.`);
    }
    return user;
  }

  private notify(event: UserEventName, user: UserRecord): void {
    this.dispatcher.dispatch(event, userEventBody(this.store, event, user, this.store.clock.now()), {});
  }
}
