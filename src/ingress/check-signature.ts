import { SignatureRejectedError } from './errors.js';
import { verifySignature } from './signature.js';

/**
 * Throw `SignatureRejectedError` (401) unless `X-Hub-Signature` is a valid
 * `sha256=<hex>` HMAC of the raw body under `secret`. Fails closed: a missing
 * header, an unknown method and a malformed value are all rejected.
 */
export function checkSignature(secret: string, body: Buffer, header: string | undefined): void {
  const check = verifySignature(secret, body, header);
  if (check.ok) return;

  const missing = header === undefined || header.trim() === '';
  throw new SignatureRejectedError(missing, check.reason);
}
