import type { Logger } from '../core/logger.js';
import { chunk, MAX_IDS_PER_DELETE } from './batching.js';
import { failRejectedRequest, failWholeRequest } from './request-failures.js';
import type { PortTransport } from './transport.js';
import type { BulkDeleteOutcome, EntityFailure } from './types.js';

interface MutableOutcome {
  deleted: string[];
  failed: EntityFailure[];
}

/**
 * Deletes entities of one blueprint in bulk requests of at most 100 ids,
 * sent concurrently within the client's limiter. Deleting is idempotent:
 * an id that Port left out of `deletedEntities` counts as deleted when a
 * read of it returns 404. A failure of a whole request, after retries,
 * fails each of its ids with the request's status.
 */
export async function deleteEntitiesInBatches(
  transport: PortTransport,
  logger: Logger,
  blueprint: string,
  identifiers: readonly string[],
  deleteDependents: boolean,
): Promise<BulkDeleteOutcome> {
  const unique = [...new Set(identifiers)];
  const outcomes = await Promise.all(chunk(unique, MAX_IDS_PER_DELETE).map((batch) =>
    deleteBatch(transport, logger, blueprint, batch, deleteDependents)));
  return {
    deleted: outcomes.flatMap((outcome) => outcome.deleted),
    failed: outcomes.flatMap((outcome) => outcome.failed),
  };
}

async function deleteBatch(
  transport: PortTransport,
  logger: Logger,
  blueprint: string,
  identifiers: readonly string[],
  deleteDependents: boolean,
): Promise<BulkDeleteOutcome> {
  let response;
  try {
    response = await transport.send({
      method: 'POST',
      template: '/v1/blueprints/{bp}/bulk/entities/delete',
      path: `/v1/blueprints/${encodeURIComponent(blueprint)}/bulk/entities/delete`,
      searchParams: { delete_dependents: String(deleteDependents) },
      body: JSON.stringify({ entities: identifiers }),
      identifiers,
    });
  } catch (error) {
    return failWholeRequest(logger, blueprint, identifiers, error);
  }

  if (response.status === 200) {
    const reported = (response.body as { deletedEntities?: unknown } | undefined)?.deletedEntities;
    const deleted = new Set(Array.isArray(reported) ? reported.filter((id): id is string => typeof id === 'string') : []);
    const unconfirmed = identifiers.filter((identifier) => !deleted.has(identifier));
    const checked = await confirmAbsent(transport, logger, blueprint, unconfirmed);
    return { deleted: [...identifiers.filter((identifier) => deleted.has(identifier)), ...checked.deleted], failed: checked.failed };
  }
  if (response.status === 404) {
    // The blueprint does not exist, so none of its entities can. A read of each id confirms it.
    return confirmAbsent(transport, logger, blueprint, identifiers);
  }
  return failRejectedRequest(logger, 'bulk delete', blueprint, identifiers, response);
}

/** Reads each id: a 404 means it is gone (deleted), a 200 means it still exists (failed). */
async function confirmAbsent(transport: PortTransport, logger: Logger, blueprint: string, identifiers: readonly string[]): Promise<BulkDeleteOutcome> {
  const outcome: MutableOutcome = { deleted: [], failed: [] };
  await Promise.all(identifiers.map(async (identifier) => {
    let response;
    try {
      response = await transport.send({
        method: 'GET',
        template: '/v1/blueprints/{bp}/entities/{id}',
        path: `/v1/blueprints/${encodeURIComponent(blueprint)}/entities/${encodeURIComponent(identifier)}`,
        identifiers: [identifier],
      });
    } catch (error) {
      outcome.failed.push(...failWholeRequest(logger, blueprint, [identifier], error).failed);
      return;
    }

    if (response.status === 404) {
      outcome.deleted.push(identifier);
    } else if (response.status === 200) {
      outcome.failed.push({ identifier, status: 200, error: 'not_deleted', message: `Port did not delete entity "${identifier}" and it still exists` });
    } else {
      outcome.failed.push(...failRejectedRequest(logger, 'entity read', blueprint, [identifier], response).failed);
    }
  }));

  if (outcome.failed.length > 0) {
    logger.warn({ blueprint, failedCount: outcome.failed.length, failures: outcome.failed.slice(0, 5) }, 'port did not delete some entities');
  }
  return outcome;
}
