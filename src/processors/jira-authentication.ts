import { verifySignature } from '../ingress/signature.js';

/** How processors decide that a delivery comes from the configured Jira site. */
export interface WebhookAuthentication {
  /** Shared secret of the Jira admin webhook; deliveries must carry a matching `X-Hub-Signature`. */
  readonly secret?: string;
  /** Accept unsigned deliveries when no secret is configured. */
  readonly allowUnsigned?: boolean;
}

/**
 * Check a delivery's signature. With a secret, the HMAC must match (fail
 * closed); without one, deliveries pass only when unsigned deliveries are
 * explicitly allowed.
 */
export function authenticateDelivery(
  settings: WebhookAuthentication,
  rawBody: Buffer,
  headers: Readonly<Record<string, string>>,
): boolean {
  if (settings.secret !== undefined && settings.secret !== '') {
    return verifySignature(settings.secret, rawBody, headers['x-hub-signature']).ok;
  }
  return settings.allowUnsigned === true;
}
