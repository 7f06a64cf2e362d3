import type { IncomingMessage } from 'node:http';
import { MethodNotAllowedError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.js';

/**
 * Checks that need only the request line and headers, so that a bad request
 * is rejected before its body is read. Each throws its `WebhookRejection`.
 */

/** Throw `MethodNotAllowedError` (405) unless the method is POST. */
export function checkMethod(request: IncomingMessage): void {
  const method = request.method ?? '';
  if (method !== 'POST') throw new MethodNotAllowedError(method);
}

/**
 * Throw `UnsupportedMediaTypeError` (415) unless the media type is
 * `application/json`. Parameters such as `charset=UTF-8` (which Jira sends)
 * are allowed, and media types compare case-insensitively (RFC 9110 8.3.1).
 */
export function checkContentType(request: IncomingMessage): void {
  const contentType = request.headers['content-type'];
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') throw new UnsupportedMediaTypeError(contentType);
}

/**
 * Throw `PayloadTooLargeError` (413) when `Content-Length` declares more than
 * `maxBodyBytes`. Node's HTTP parser has already rejected a malformed
 * `Content-Length`. A chunked body has none, and `readBody` counts its bytes.
 */
export function checkContentLength(request: IncomingMessage, maxBodyBytes: number): void {
  const declared = request.headers['content-length'];
  if (declared === undefined) return;

  const declaredBytes = Number(declared);
  if (declaredBytes > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes, declaredBytes);
}
