import type { ServerResponse } from 'node:http';
import type { WebhookRejection } from './errors.js';

/**
 * Send `body` as a JSON response. Does nothing when the response has already
 * started or its socket is gone (the client aborted).
 */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.headersSent || response.destroyed) return;

  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

/**
 * Send the rejection as `{ error, message }` with its status and headers.
 * Adds `Connection: close` when the rest of the body was left unread, so that
 * Node closes the socket instead of keeping it alive behind the unread bytes.
 */
export function sendRejection(response: ServerResponse, rejection: WebhookRejection): void {
  const headers = rejection.closeConnection ? { ...rejection.headers, Connection: 'close' } : rejection.headers;
  sendJson(response, rejection.status, { error: rejection.code, message: rejection.message }, headers);
}
