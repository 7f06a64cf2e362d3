import { from, mergeMap, of, type OperatorFunction } from 'rxjs';
import type { Logger } from '../core/logger.js';
import type { EntityRef } from '../core/results.js';
import type { EntityFailure } from '../port/types.js';
import type { PortBatches } from './port-batches.js';
import { RecentDeletes } from './recent-deletes.js';
import { describeRaw, entryOf, isOlder, type WrittenIndex } from './written-index.js';
import { deliveryLogFields, type WorkGroup } from './work.js';

/**
 * Write each group's planned upserts and deletes through the per-blueprint
 * batches, then record what was written in the index. An upsert whose
 * `fields.updated` is older than the state last written for the same Jira
 * object is dropped (latest state wins). Any entity Port rejected ends the
 * group as `failed`, naming each entity and Port's message; the entities
 * that were written are still reported. A delete of an entity this stage
 * deleted within the last minute, with no upsert since, is reported as
 * deleted without a request (see RecentDeletes). Groups that already ended pass
 * through. Unbounded concurrency: the batches and the Port client bound the
 * requests.
 */
export function writeToPort(batches: PortBatches, index: WrittenIndex, logger: Logger, now: () => number = Date.now): OperatorFunction<WorkGroup, WorkGroup> {
  const stores: WriteStores = { batches, index, recentDeletes: new RecentDeletes(RECENT_DELETE_TTL_MS, RECENT_DELETE_MAX_ENTRIES, now) };
  return mergeMap((group) => (group.end || group.upserts === undefined ? of(group) : from(writeGroup(group, stores, logger, now))));
}

/** How long a delete of an entity is remembered, so that deleting it again sends nothing. */
const RECENT_DELETE_TTL_MS = 60_000;
const RECENT_DELETE_MAX_ENTRIES = 100_000;

interface WriteStores {
  readonly batches: PortBatches;
  readonly index: WrittenIndex;
  readonly recentDeletes: RecentDeletes;
}

async function writeGroup(group: WorkGroup, stores: WriteStores, logger: Logger, now: () => number): Promise<WorkGroup> {
  const { batches, index, recentDeletes } = stores;
  const resourceIndex = group.resource?.index ?? -1;
  const upserts = (group.upserts ?? []).filter(({ raw, entity }) => {
    const { jiraId, updated } = describeRaw(raw);
    const stale = jiraId !== undefined && isOlder(updated, index.lastUpdated(resourceIndex, jiraId));
    if (stale) logger.warn({ blueprint: entity.blueprint, identifier: entity.identifier, updated, ...deliveryLogFields(group.items) }, 'skipped an upsert older than the state already written');
    return !stale;
  });
  const deletes = group.deletes ?? [];
  if (upserts.length === 0 && deletes.length === 0) return group;

  const alreadyDeleted = (ref: EntityRef): boolean => recentDeletes.has(resourceIndex, ref);
  const [upsertWrites, deleteWrites] = await Promise.all([
    Promise.all(upserts.map(({ entity }) => batches.upsert(entity))),
    Promise.all(deletes.map((ref) => (alreadyDeleted(ref) ? Promise.resolve({ ok: true } as const) : batches.delete(ref.blueprint, ref.identifier)))),
  ]);
  group.writtenAt = now();

  const failures: string[] = [];
  group.upserted = [];
  upserts.forEach(({ entity, raw }, i) => {
    const write = upsertWrites[i];
    if (write?.ok) {
      group.upserted?.push({ blueprint: entity.blueprint, identifier: entity.identifier });
      recentDeletes.upserted(resourceIndex, entity);
      const entry = entryOf(resourceIndex, raw, entity);
      if (entry) index.record(entry);
    } else if (write) failures.push(describeFailure('upsert', entity, write.failure));
  });

  group.deleted = [];
  deletes.forEach((ref, i) => {
    const write = deleteWrites[i];
    if (write?.ok) {
      group.deleted?.push(ref);
      index.forget(resourceIndex, ref);
      recentDeletes.deleted(resourceIndex, ref);
    } else if (write) failures.push(describeFailure('delete', ref, write.failure));
  });

  if (failures.length > 0) group.end = { outcome: 'failed', error: failures.join('; ') };
  return group;
}

function describeFailure(action: string, ref: EntityRef, failure: EntityFailure): string {
  const status = failure.status > 0 ? ` (${failure.status} ${failure.error})` : ` (${failure.error})`;
  return `Port rejected the ${action} of ${ref.blueprint}/${ref.identifier}${status}${failure.message ? `: ${failure.message}` : ''}`;
}
