import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { KEPT_HEADERS, type IncomingDelivery } from '../core/delivery.js';
import { InvalidDeliveryIdError } from './errors.js';

/**
 * Maximum length of an accepted `X-Atlassian-Webhook-Identifier`.
 * NOTE: a guess with margin. The sample Jira Cloud headers carry UUIDs (36
 * characters), and no documented maximum was found.
 */
export const MAX_DELIVERY_ID_LENGTH = 256;

/** Build the delivery that the event log stores from a request that passed every check. */
export function toIncomingDelivery(headers: IncomingHttpHeaders, body: Buffer, receivedAt: number): IncomingDelivery {
  return { deliveryId: deliveryIdOf(headers, body), receivedAt, headers: keptHeaders(headers), body };
}

/**
 * Return `X-Atlassian-Webhook-Identifier`, which Jira Cloud keeps the same
 * across retries, or else `sha256:<hex of the body>`, so that byte-identical
 * retries from Data Center (which sends no identifier) still dedupe.
 * Throws `InvalidDeliveryIdError` (400) for an identifier over the length limit.
 */
export function deliveryIdOf(headers: IncomingHttpHeaders, body: Buffer): string {
  // NOTE: the identifier is unique only within one Jira site, so one service fed by two sites could drop a delivery as a duplicate.
  const identifier = headerValue(headers, 'x-atlassian-webhook-identifier')?.trim();
  if (identifier === undefined || identifier === '') {
    return `sha256:${createHash('sha256').update(body).digest('hex')}`;
  }
  if (identifier.length > MAX_DELIVERY_ID_LENGTH) throw new InvalidDeliveryIdError(MAX_DELIVERY_ID_LENGTH);
  return identifier;
}

/** Copy only the headers in `KEPT_HEADERS`, so cookies and credentials never reach the log. */
export function keptHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headerValue(headers, name);
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

/** Return one header as a string. Node joins repeated headers with ", ", but returns a few (such as set-cookie) as arrays. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
