import { mergeMap, type OperatorFunction } from 'rxjs';
import type { Logger } from '../core/logger.js';
import type { ProcessedResult, WorkResult } from '../core/results.js';
import type { DeadLetterStore } from '../log/dead-letters.js';
import type { ResultCollector } from './result-collector.js';
import type { WorkGroup, WorkItem } from './work.js';

/** The store for failed work awaiting a redrive: the `add` half of a `DeadLetterStore`. */
export type DeadLetterSink = Pick<DeadLetterStore, 'add'>;

/**
 * End each group. Its entity is released, so the next coalesced group may
 * start. Each work item becomes a work result, failed work is stored as a
 * dead letter when a sink is given, and a delivery's processed result is
 * emitted once all of its work results are in. Emits zero or one result per group.
 */
export function finishWork(
  collector: ResultCollector,
  deadLetters: DeadLetterSink | undefined,
  logger: Logger,
  now: () => number = Date.now,
): OperatorFunction<WorkGroup, ProcessedResult> {
  return mergeMap((group) => {
    group.release();

    const finished: ProcessedResult[] = [];
    for (const item of group.items) {
      const result = workResultOf(group, item, deadLetters, logger, now);
      const processed = collector.add(item, result, {
        ...(group.fetchedAt !== undefined ? { fetchedAt: group.fetchedAt } : {}),
        ...(group.writtenAt !== undefined ? { writtenAt: group.writtenAt } : {}),
      });
      if (processed) finished.push(processed);
    }
    return finished;
  });
}

function workResultOf(group: WorkGroup, item: WorkItem, deadLetters: DeadLetterSink | undefined, logger: Logger, now: () => number): WorkResult {
  const base = {
    processor: item.processor?.name ?? '-',
    kind: item.resource?.kind ?? '-',
    resourceIndex: item.resource?.index ?? -1,
    ...(item.entityId !== undefined ? { entityId: item.entityId } : {}),
    upserted: group.upserted ?? [],
    deleted: group.deleted ?? [],
  };
  const end = item.end ?? group.end;

  if (end === undefined) {
    if (base.upserted.length > 0) return { ...base, outcome: 'upserted' };
    if (base.deleted.length > 0) return { ...base, outcome: 'deleted' };
    return { ...base, outcome: 'ignored', reason: nothingWrittenReason(group) };
  }
  if (end.outcome !== 'failed') {
    return { ...base, outcome: end.outcome, ...(end.reason !== undefined ? { reason: end.reason } : {}) };
  }

  const error = end.error ?? end.reason ?? 'failed';
  if (deadLetters === undefined || !item.processor || !item.resource) return { ...base, outcome: 'failed', error };
  try {
    const deadLetterId = deadLetters.add({
      deliveryId: item.delivery.deliveryId,
      offset: item.delivery.offset,
      webhookEvent: item.webhookEvent,
      processor: item.processor.name,
      kind: item.resource.kind,
      resourceIndex: item.resource.index,
      ...(item.entityId !== undefined ? { entityId: item.entityId } : {}),
      error,
      attempts: 1,
      firstFailedAt: now(),
      lastFailedAt: now(),
    });
    return { ...base, outcome: 'dead-lettered', error, deadLetterId };
  } catch (storeError) {
    logger.error({ err: storeError, deliveryId: item.delivery.deliveryId, webhookEvent: item.webhookEvent }, 'storing a dead letter failed');
    return { ...base, outcome: 'failed', error };
  }
}

function nothingWrittenReason(group: WorkGroup): string {
  const raw = group.raw;
  if (raw === undefined) return 'nothing to write';
  if (raw.ignoredReason !== undefined) return raw.ignoredReason;
  if (raw.updatedRawResults.length === 0 && raw.deletedRawResults.length === 0 && (raw.deletedEntities ?? []).length === 0) {
    return 'Jira returned nothing to write (the object is gone and no entity is known for it)';
  }
  if ((group.upserts ?? []).length > 0) return 'the fetched state is older than the state already written';
  return 'the mapping produced no entity (empty identifier or blueprint)';
}
