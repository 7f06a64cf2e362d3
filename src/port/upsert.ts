import type { Logger } from '../core/logger.js';
import type { Entity } from '../mapping/types.js';
import { batchEntities, bulkBody, serializeEntity, type SerializedEntity } from './batching.js';
import { failRejectedRequest, failWholeRequest } from './request-failures.js';
import type { PortTransport } from './transport.js';
import type { BulkUpsertOutcome, EntityFailure, UpsertOptions } from './types.js';

const BULK_UPSERT_TEMPLATE = '/v1/blueprints/{bp}/entities/bulk';

interface MutableOutcome {
  succeeded: string[];
  failed: EntityFailure[];
}

interface BulkItem {
  readonly index?: unknown;
  readonly statusCode?: unknown;
  readonly error?: unknown;
  readonly message?: unknown;
}

/**
 * Upserts entities of one blueprint in bulk requests of at most 20 entities
 * and 1 MiB, sent concurrently within the client's limiter. Per-entity
 * results come from Port's 200 or 207 body. A 413 splits the batch in
 * halves until single entities. Any other failure of a whole request,
 * after retries, fails each of its entities with the request's status.
 */
export async function upsertEntitiesInBatches(
  transport: PortTransport,
  logger: Logger,
  blueprint: string,
  entities: readonly Entity[],
  options: UpsertOptions,
): Promise<BulkUpsertOutcome> {
  const searchParams = {
    upsert: 'true',
    merge: String(options.merge),
    create_missing_related_entities: String(options.createMissingRelatedEntities),
  };
  const send = (batch: readonly SerializedEntity[]) => sendBatch(transport, logger, blueprint, searchParams, batch);

  const batches = batchEntities(entities.map(serializeEntity));
  const outcomes = await Promise.all(batches.map(send));
  return mergeOutcomes(outcomes);
}

async function sendBatch(
  transport: PortTransport,
  logger: Logger,
  blueprint: string,
  searchParams: Readonly<Record<string, string>>,
  batch: readonly SerializedEntity[],
): Promise<BulkUpsertOutcome> {
  const identifiers = batch.map((entity) => entity.identifier);
  const request = {
    method: 'POST' as const,
    template: BULK_UPSERT_TEMPLATE,
    path: `/v1/blueprints/${encodeURIComponent(blueprint)}/entities/bulk`,
    searchParams,
    body: bulkBody(batch),
    identifiers,
  };

  let response;
  try {
    response = await transport.send(request);
  } catch (error) {
    return failWholeRequest(logger, blueprint, identifiers, error);
  }

  if (response.status === 413 && batch.length > 1) {
    // Port measured the body as too large, so split the batch and let each half find its own limit.
    const middle = Math.ceil(batch.length / 2);
    const halves = [batch.slice(0, middle), batch.slice(middle)];
    logger.info({ blueprint, entityCount: batch.length }, 'port rejected a bulk upsert as too large, splitting it in halves');
    return mergeOutcomes(await Promise.all(halves.map((half) => sendBatch(transport, logger, blueprint, searchParams, half))));
  }
  if (response.status === 200 || response.status === 207) {
    return readBulkResult(logger, blueprint, identifiers, response.status, response.body);
  }

  return failRejectedRequest(logger, 'bulk upsert', blueprint, identifiers, response);
}

/** Returns the index an item of `entities[]` or `errors[]` refers to, when it is a valid position in the request. */
function indexOf(item: BulkItem, size: number): number | undefined {
  const index = item.index;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < size ? index : undefined;
}

function failureOf(item: BulkItem, identifier: string, status: number): EntityFailure {
  return {
    identifier,
    status: typeof item.statusCode === 'number' ? item.statusCode : status,
    error: typeof item.error === 'string' ? item.error : 'unknown_error',
    ...(typeof item.message === 'string' ? { message: item.message } : {}),
  };
}

/**
 * Reads the per-entity results of a 200 or 207 response. `index` refers to
 * the position in the request, and an error wins over a success for the same
 * index. An entity with no result at all counts as failed, so that nothing
 * is reported as written without Port saying so.
 */
function readBulkResult(logger: Logger, blueprint: string, identifiers: readonly string[], status: number, body: unknown): BulkUpsertOutcome {
  const { entities, errors } = (body ?? {}) as { entities?: unknown; errors?: unknown };
  const failures = new Map<number, EntityFailure>();
  const successes = new Set<number>();

  for (const item of (Array.isArray(errors) ? errors : []) as BulkItem[]) {
    const index = indexOf(item, identifiers.length);
    if (index !== undefined && !failures.has(index)) {
      failures.set(index, failureOf(item, identifiers[index]!, status));
    }
  }
  for (const item of (Array.isArray(entities) ? entities : []) as BulkItem[]) {
    const index = indexOf(item, identifiers.length);
    if (index !== undefined && !failures.has(index)) {
      successes.add(index);
    }
  }

  const outcome: MutableOutcome = { succeeded: [], failed: [] };
  identifiers.forEach((identifier, index) => {
    if (successes.has(index)) {
      outcome.succeeded.push(identifier);
    } else {
      outcome.failed.push(failures.get(index) ?? { identifier, status, error: 'missing_result', message: `Port's ${status} response had no result for index ${index}` });
    }
  });

  if (outcome.failed.length > 0) {
    logger.warn({ blueprint, status, failedCount: outcome.failed.length, failures: outcome.failed.slice(0, 5) }, 'port rejected some entities of a bulk upsert');
  }
  return outcome;
}


function mergeOutcomes(outcomes: readonly BulkUpsertOutcome[]): BulkUpsertOutcome {
  return {
    succeeded: outcomes.flatMap((outcome) => outcome.succeeded),
    failed: outcomes.flatMap((outcome) => outcome.failed),
  };
}
