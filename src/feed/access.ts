import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FeedDisabledError, FeedUnauthorizedError } from './errors.js';

/**
 * Access mode of the feed: only clients with the configured bearer token,
 * any client, or no client (disabled). A configured token always wins over
 * `allowAnonymous`.
 */
export type FeedAccess =
  | { readonly mode: 'token'; readonly token: string }
  | { readonly mode: 'anonymous' }
  | { readonly mode: 'disabled' };

/** Derives the access mode from the feed settings. An empty token counts as not configured. */
export function resolveFeedAccess(token: string | undefined, allowAnonymous: boolean | undefined): FeedAccess {
  if (token !== undefined && token !== '') {
    return { mode: 'token', token };
  }
  return allowAnonymous === true ? { mode: 'anonymous' } : { mode: 'disabled' };
}

/**
 * Checks a handshake request against the access mode. The token comes from
 * `Authorization: Bearer <token>` or, when that header is absent, from the
 * `token` query parameter, which browsers need because their WebSocket API
 * cannot set headers.
 *
 * @throws FeedDisabledError when the feed is disabled.
 * @throws FeedUnauthorizedError when the token is missing or does not match.
 */
export function authorizeHandshake(access: FeedAccess, request: IncomingMessage, url: URL): void {
  if (access.mode === 'disabled') {
    throw new FeedDisabledError();
  }
  if (access.mode === 'anonymous') {
    return;
  }

  const presented = presentedToken(request, url);
  if (presented === undefined) {
    throw new FeedUnauthorizedError('missing');
  }
  if (!tokensEqual(presented, access.token)) {
    throw new FeedUnauthorizedError('invalid');
  }
}

function presentedToken(request: IncomingMessage, url: URL): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }

  const query = url.searchParams.get('token');
  return query === null || query === '' ? undefined : query;
}

/**
 * Compares two tokens in time that does not depend on where they differ.
 * Hashing first gives `timingSafeEqual` inputs of equal length, so the
 * comparison does not reveal the token's length either.
 */
export function tokensEqual(presented: string, expected: string): boolean {
  const presentedDigest = createHash('sha256').update(presented, 'utf8').digest();
  const expectedDigest = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(presentedDigest, expectedDigest);
}
