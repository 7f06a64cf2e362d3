import * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';

/**
 * The recording format: NDJSON, one delivery per line, in arrival order.
 *
 * ```json
 * {"receivedAt":"2026-01-05T09:00:00.125Z","headers":{"x-atlassian-webhook-identifier":"…","x-hub-signature":"sha256=…"},"body":"{\"webhookEvent\":…}"}
 * ```
 *
 * `body` contains the raw request body as a string, byte for byte, so that a
 * kept `x-hub-signature` still verifies. A body that is not valid UTF-8 is
 * written in base64 with `"bodyEncoding":"base64"`.
 */

/** One recorded delivery: when it arrived, the headers Jira sent, and the raw body. */
export interface RecordedDelivery {
  /** Epoch milliseconds at which the delivery was received. */
  readonly receivedAt: number;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Value that replaces a header secret when a recording is written without signatures. */
export const REDACTED = '[redacted]';

/** Headers whose values let anyone forge or replay deliveries, so recordings redact them by default. */
export const SECRET_HEADERS: readonly string[] = ['x-hub-signature', 'authorization', 'cookie', 'proxy-authorization'];

const RecordedLine = t.intersection([
  t.type({ receivedAt: t.union([t.string, t.number]), headers: t.record(t.string, t.string), body: t.string }),
  t.partial({ bodyEncoding: t.literal('base64') }),
]);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Encode one delivery as a recording line, without the trailing newline. */
export function encodeRecordedDelivery(delivery: RecordedDelivery): string {
  const line: t.TypeOf<typeof RecordedLine> = {
    receivedAt: new Date(delivery.receivedAt).toISOString(),
    headers: { ...delivery.headers },
    ...bodyField(delivery.body),
  };
  return JSON.stringify(line);
}

/**
 * Decode one recording line. Returns the delivery, or a reason that names
 * the field at fault. `receivedAt` may be an ISO-8601 time or epoch milliseconds.
 */
export function decodeRecordedDelivery(line: string): { readonly delivery: RecordedDelivery } | { readonly reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return { reason: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }

  const decoded = RecordedLine.decode(parsed);
  if (decoded._tag === 'Left') return { reason: PathReporter.report(decoded).slice(0, 2).join('; ') };

  const receivedAt = typeof decoded.right.receivedAt === 'number' ? decoded.right.receivedAt : Date.parse(decoded.right.receivedAt);
  if (!Number.isFinite(receivedAt)) {
    return { reason: `receivedAt ${JSON.stringify(decoded.right.receivedAt)} is not an ISO-8601 time or epoch milliseconds` };
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(decoded.right.headers)) headers[name.toLowerCase()] = value;
  const body = decoded.right.bodyEncoding === 'base64' ? Buffer.from(decoded.right.body, 'base64') : Buffer.from(decoded.right.body, 'utf8');
  return { delivery: { receivedAt, headers, body } };
}

/**
 * Encode one delivery as a recording line with its trailing newline. The
 * values of `SECRET_HEADERS` become `REDACTED` unless `signatures` is true.
 */
export function recordingLine(delivery: RecordedDelivery, options: { readonly signatures: boolean }): string {
  const headers = options.signatures ? delivery.headers : redactSecretHeaders(delivery.headers);
  return `${encodeRecordedDelivery({ ...delivery, headers })}\n`;
}

/** Replace the values of `SECRET_HEADERS` with `REDACTED`. */
export function redactSecretHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    redacted[name] = SECRET_HEADERS.includes(name.toLowerCase()) ? REDACTED : value;
  }
  return redacted;
}

function bodyField(body: Buffer): { body: string; bodyEncoding?: 'base64' } {
  try {
    return { body: strictUtf8.decode(body) };
  } catch {
    return { body: body.toString('base64'), bodyEncoding: 'base64' };
  }
}
