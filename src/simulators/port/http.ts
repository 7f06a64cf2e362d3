import type { IncomingMessage, ServerResponse } from 'node:http';

/** Port's request body limit for the entity routes: 1 MiB. */
export const PORT_BODY_LIMIT_BYTES = 1024 * 1024;

/** A JSON response: status, body and extra headers. */
export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Port's common error body: `{ok: false, error, message}`. */
export function errorResponse(status: number, error: string, message?: string, headers?: Record<string, string>): JsonResponse {
  return { status, body: { ok: false, error, ...(message !== undefined ? { message } : {}) }, ...(headers ? { headers } : {}) };
}

/** A request body that was read whole, or the fact that it was over the limit. */
export type BodyRead = { readonly tooLarge: false; readonly bytes: Buffer } | { readonly tooLarge: true };

/**
 * Reads the request body. Past `maxBytes` the rest is read and dropped, so
 * the connection stays usable for the 413 response and later requests.
 */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) {
      chunks.push(chunk);
    }
  }
  return size > maxBytes ? { tooLarge: true } : { tooLarge: false, bytes: Buffer.concat(chunks) };
}

/** Parses a JSON body. Returns `undefined` for an empty body and a SyntaxError for invalid JSON. */
export function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) {
    return undefined;
  }
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    return error instanceof SyntaxError ? error : new SyntaxError(String(error));
  }
}

export function sendJson(response: ServerResponse, reply: JsonResponse, extraHeaders: Readonly<Record<string, string>> = {}): void {
  const payload = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    ...extraHeaders,
    ...reply.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

/** Reads a boolean query flag the way Port does: `true` is true, anything else (or absence) is false. */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  return query.get(name) === 'true';
}
