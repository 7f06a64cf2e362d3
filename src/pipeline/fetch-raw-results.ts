import { from, mergeMap, of, type OperatorFunction } from 'rxjs';
import type { Logger } from '../core/logger.js';
import type { ProcessorContext } from '../processors/processor.js';
import { deliveryLogFields, errorMessage, type WorkGroup } from './work.js';

/**
 * Run each group's `handleEvent` (usually a Jira fetch; the Jira client
 * batches, rate-limits and retries) with at most `concurrency` groups at
 * once. Sets `raw` and `fetchedAt`; an error that survived the client's
 * retries ends the group as `failed` with the error text. Groups that
 * already ended pass through. Output order follows completion order.
 */
export function fetchRawResults(
  context: ProcessorContext,
  concurrency: number,
  logger: Logger,
  now: () => number = Date.now,
): OperatorFunction<WorkGroup, WorkGroup> {
  return mergeMap((group) => (group.end ? of(group) : from(runHandler(group, context, logger, now))), concurrency);
}

async function runHandler(group: WorkGroup, context: ProcessorContext, logger: Logger, now: () => number): Promise<WorkGroup> {
  const { processor, resource } = group;
  if (!processor || !resource) return group;

  try {
    group.raw = await processor.handleEvent(group.payload, resource, context);
    group.fetchedAt = now();
  } catch (error) {
    logger.error(
      { err: error, processor: processor.name, kind: resource.kind, entityId: group.entityId, ...deliveryLogFields(group.items) },
      'processor failed after retries',
    );
    group.end = { outcome: 'failed', error: `${processor.name} processor failed for ${resource.kind} ${group.entityId ?? ''}: ${errorMessage(error)}` };
  }
  return group;
}
