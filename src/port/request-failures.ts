import type { Logger } from '../core/logger.js';
import { PortRequestError } from './errors.js';
import { portErrorFields, type PortResponse } from './transport.js';
import type { EntityFailure } from './types.js';

/** Every entity of one request marked failed with the same status and error. */
export interface WholeRequestFailure {
  readonly succeeded: [];
  readonly deleted: [];
  readonly failed: EntityFailure[];
}

function failEach(identifiers: readonly string[], failure: Omit<EntityFailure, 'identifier'>): WholeRequestFailure {
  return { succeeded: [], deleted: [], failed: identifiers.map((identifier) => ({ identifier, ...failure })) };
}

/**
 * Fails every entity of a request that threw PortRequestError (retries
 * exhausted, network error, timeout, token request failed) and logs it.
 * Rethrows any other error, because that is a bug.
 */
export function failWholeRequest(logger: Logger, blueprint: string, identifiers: readonly string[], error: unknown): WholeRequestFailure {
  if (!(error instanceof PortRequestError)) {
    throw error;
  }
  logger.error({ err: error, blueprint, status: error.status, entityCount: identifiers.length, identifiers: identifiers.slice(0, 5) }, 'port request failed after retries');
  return failEach(identifiers, { status: error.status, error: error.code, message: error.message });
}

/** Fails every entity of a request that Port rejected as a whole with a status that is not retried, and logs it. */
export function failRejectedRequest(logger: Logger, operation: string, blueprint: string, identifiers: readonly string[], response: PortResponse): WholeRequestFailure {
  const fields = portErrorFields(response.body);
  const error = fields.code ?? `http_${response.status}`;
  logger.error({ blueprint, status: response.status, error, entityCount: identifiers.length, identifiers: identifiers.slice(0, 5) }, `port rejected a ${operation}`);
  return failEach(identifiers, { status: response.status, error, ...(fields.message !== undefined ? { message: fields.message } : {}) });
}
