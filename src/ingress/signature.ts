import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Jira signs admin webhooks that have a secret with `X-Hub-Signature:
 * sha256=<hex>`, an HMAC-SHA256 over the raw body bytes (the WebSub
 * `method=signature` format). Atlassian warns the method may change, so an
 * unknown method is rejected rather than guessed.
 */
export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const SUPPORTED_METHOD = 'sha256';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** Compute the `X-Hub-Signature` value Jira would send for `body`. */
export function signBody(secret: string, body: Buffer | string): string {
  const digest = createHmac(SUPPORTED_METHOD, secret).update(body).digest('hex');
  return `${SUPPORTED_METHOD}=${digest}`;
}

/** Check an `X-Hub-Signature` header against the raw body in constant time. */
export function verifySignature(secret: string, body: Buffer, header: string | undefined): SignatureCheck {
  if (header === undefined || header.trim() === '') {
    return { ok: false, reason: 'missing X-Hub-Signature header; configure the webhook secret in Jira' };
  }

  const separator = header.indexOf('=');
  const method = separator < 0 ? '' : header.slice(0, separator).trim().toLowerCase();
  const signature = separator < 0 ? '' : header.slice(separator + 1).trim();
  if (method !== SUPPORTED_METHOD) {
    return { ok: false, reason: `unsupported X-Hub-Signature method "${method || header.slice(0, 16)}"; expected "sha256=<hex>"` };
  }
  if (!HEX_SHA256.test(signature)) {
    return { ok: false, reason: 'malformed X-Hub-Signature: expected 64 hex characters after "sha256="' };
  }

  const expected = createHmac(SUPPORTED_METHOD, secret).update(body).digest();
  const received = Buffer.from(signature, 'hex');
  if (!timingSafeEqual(expected, received)) {
    return { ok: false, reason: 'X-Hub-Signature does not match the body; check that Jira and this service share the same secret' };
  }
  return { ok: true };
}
