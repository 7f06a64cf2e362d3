/**
 * Reasons to reject a WebSocket handshake on the feed path. Each one carries
 * the HTTP status that the feed writes on the socket instead of `101`, and a
 * JSON body for the client.
 */
export abstract class FeedHandshakeError extends Error {
  abstract readonly status: number;
  /** Stable machine-readable error code, sent as `error` in the JSON body. */
  abstract readonly code: string;

  /** Returns the JSON body of the rejection. */
  body(): Record<string, unknown> {
    return { error: this.code, message: this.message };
  }
}

/** No token is configured and anonymous access is not allowed, so the feed is off. */
export class FeedDisabledError extends FeedHandshakeError {
  readonly status = 404;
  readonly code = 'feed_disabled';

  constructor() {
    super(
      'The result feed is disabled because no access token is configured. ' +
        'Set feed.token (or the FEED_TOKEN environment variable) to require a bearer token, ' +
        'or set feed.allowAnonymous to true to serve the feed without one.',
    );
    this.name = 'FeedDisabledError';
  }

  override body(): Record<string, unknown> {
    return { ...super.body(), settings: ['feed.token', 'FEED_TOKEN', 'feed.allowAnonymous'] };
  }
}

/** The handshake carried no bearer token, or one that does not match the configured token. */
export class FeedUnauthorizedError extends FeedHandshakeError {
  readonly status = 401;
  readonly code = 'unauthorized';

  constructor(readonly problem: 'missing' | 'invalid') {
    super(
      problem === 'missing'
        ? 'Missing feed token: send "Authorization: Bearer <token>" or add ?token=<token> to the URL.'
        : 'Invalid feed token: the token does not match feed.token.',
    );
    this.name = 'FeedUnauthorizedError';
  }
}

/**
 * A query parameter of the feed URL is unknown or has an invalid value. The
 * value of an unknown parameter is left out, because it may be a misspelled
 * `token`.
 */
export class FeedQueryInvalidError extends FeedHandshakeError {
  readonly status = 400;
  readonly code = 'invalid_query';

  constructor(
    readonly parameter: string,
    readonly value: string | undefined,
    detail: string,
  ) {
    const parameterText = value === undefined ? parameter : `${parameter}=${JSON.stringify(value)}`;
    super(`Invalid query parameter ${parameterText}: ${detail}`);
    this.name = 'FeedQueryInvalidError';
  }

  override body(): Record<string, unknown> {
    return { ...super.body(), parameter: this.parameter, ...(this.value === undefined ? {} : { value: this.value }) };
  }
}

/** The feed no longer accepts clients because it was closed or its results stream ended. */
export class FeedUnavailableError extends FeedHandshakeError {
  readonly status = 503;
  readonly code = 'feed_unavailable';

  constructor(cause: 'closed' | 'results-ended') {
    super(
      cause === 'closed'
        ? 'The result feed is shutting down. Reconnect once the service is back.'
        : 'The result feed has no live results because the pipeline stopped. Reconnect once the service restarts.',
    );
    this.name = 'FeedUnavailableError';
  }
}

/** An option passed to `attachFeed` has an invalid value. */
export class FeedOptionInvalidError extends Error {
  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`Invalid feed option ${option}=${String(value)}: expected ${expected}.`);
    this.name = 'FeedOptionInvalidError';
  }
}
