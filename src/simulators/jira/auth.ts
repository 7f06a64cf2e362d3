import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Credentials the simulator accepts: Cloud basic auth with an API token, or a bearer token. */
export type JiraCredentials = { readonly email: string; readonly apiToken: string } | { readonly bearerToken: string };

/** Returns whether the request's `Authorization` header carries `credentials`, or true when none are configured. */
export function isAuthorized(headers: IncomingHttpHeaders, credentials: JiraCredentials | undefined): boolean {
  if (credentials === undefined) return true;

  const expected = 'bearerToken' in credentials
    ? `Bearer ${credentials.bearerToken}`
    : `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString('base64')}`;
  const received = headers.authorization ?? '';
  return constantTimeEquals(received, expected);
}

function constantTimeEquals(left: string, right: string): boolean {
  const leftBytes = Buffer.from(left);
  const rightBytes = Buffer.from(right);
  return leftBytes.length === rightBytes.length && timingSafeEqual(leftBytes, rightBytes);
}
