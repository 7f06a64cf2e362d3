import { InvalidPayloadError } from './errors.js';

/** Rejects bytes that are not UTF-8 instead of replacing them with U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse the raw body as a JSON object. Throws `InvalidPayloadError` (400)
 * for bytes that are not UTF-8, text that is not JSON, and JSON values other
 * than an object. An object without `webhookEvent` is returned like any
 * other, because the pipeline records it as ignored.
 */
export function parsePayload(body: Buffer): Record<string, unknown> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new InvalidPayloadError('invalid_json', 'The request body is not valid UTF-8. Send the webhook payload as UTF-8 JSON.');
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes part of the body, which must not reach the logs.
    throw new InvalidPayloadError('invalid_json', `The request body (${body.length} bytes) is not valid JSON. Send the webhook payload unchanged.`);
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new InvalidPayloadError('invalid_payload', `The request body is JSON ${found}, but a webhook payload must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}
