/**
 * Jira answered 404 for a user after an event that does not delete it.
 * That is not evidence of a deletion (permissions and propagation delays
 * also give 404), so the work fails and can be redriven.
 */
export class UserNotFoundError extends Error {
  override readonly name = 'UserNotFoundError';

  constructor(
    readonly accountId: string,
    readonly webhookEvent: string,
  ) {
    super(`Jira answered 404 for user ${accountId} after ${webhookEvent}; a 404 deletes a user only after user_deleted`);
  }
}
