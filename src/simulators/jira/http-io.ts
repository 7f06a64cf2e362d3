import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidInputError, SimulatorError } from './errors.js';
import type { SimResponse } from './router.js';

/** The largest request body the simulator reads, in bytes (10 MiB). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Reads and parses a JSON request body. Returns undefined for an empty body. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new SimulatorError(413, `Request body exceeds ${MAX_BODY_BYTES} bytes.`);
    }
    chunks.push(buffer);
  }

  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidInputError(`Invalid JSON body: ${(error as Error).message}.`);
  }
}

/** Converts a thrown error to a response: simulator errors keep their status, anything else is a 500. */
export function errorResponse(error: unknown): SimResponse {
  if (error instanceof SimulatorError) {
    return { status: error.status, body: error.toBody() };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { errorMessages: [`Internal simulator error: ${message}`], errors: {} } };
}

export function writeResponse(response: ServerResponse, result: SimResponse, extraHeaders: Readonly<Record<string, string>> = {}): void {
  const headers: Record<string, string> = { ...extraHeaders, ...(result.headers ?? {}) };
  const payload = result.body === undefined ? '' : JSON.stringify(result.body);
  if (result.body !== undefined) headers['content-type'] = 'application/json;charset=UTF-8';

  response.writeHead(result.status, headers);
  response.end(payload);
}
