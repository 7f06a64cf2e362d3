import { mergeMap, type OperatorFunction } from 'rxjs';
import type { EntityRef } from '../core/results.js';
import type { Logger } from '../core/logger.js';
import type { MappedEntity, ResourceConfig } from '../mapping/types.js';
import { batchWithin } from './batch-within.js';
import { deliveryLogFields, errorMessage, refKey, uniqueRefs, type PlannedUpsert, type WorkGroup } from './work.js';

/** The part of `EntityMapper` this stage uses. */
export interface BatchMapper {
  map(resource: ResourceConfig, items: readonly unknown[]): MappedEntity[][];
}

export interface MapEntitiesOptions {
  /** How long the first group of a batch waits for others. */
  readonly batchMs: number;
  /** Most groups mapped together. */
  readonly maxGroups: number;
}

/**
 * Map raw Jira objects to Port entities with the resource config's JQ
 * mapping, evaluating each resource config's mapping as one jq program over
 * every raw object of a batch of groups.
 *
 * Per group: updated objects that pass `selector.query` become upserts;
 * updated objects that fail it, every deleted object's entity and the raw
 * results' `deletedEntities` become deletes, except entities the same group
 * upserts. A selector that errors or returns a non-boolean ends the group as
 * `failed`. Groups that already ended pass through. Emits every input group
 * once; batches keep arrival order.
 */
export function mapEntities(mapper: BatchMapper, options: MapEntitiesOptions, logger: Logger): OperatorFunction<WorkGroup, WorkGroup> {
  return (source) =>
    source.pipe(
      batchWithin<WorkGroup>(options.batchMs, options.maxGroups),
      mergeMap((groups) => {
        mapBatch(mapper, groups, logger);
        return groups;
      }),
    );
}

function mapBatch(mapper: BatchMapper, groups: readonly WorkGroup[], logger: Logger): void {
  const byResource = new Map<ResourceConfig, WorkGroup[]>();
  for (const group of groups) {
    if (group.end || !group.raw || !group.resource) continue;
    const list = byResource.get(group.resource) ?? [];
    list.push(group);
    byResource.set(group.resource, list);
  }

  for (const [resource, resourceGroups] of byResource) {
    try {
      mapResourceGroups(mapper, resource, resourceGroups);
    } catch {
      // One raw object can break the whole batch (nesting deeper than jq's
      // input serialisation allows); map each group alone so it fails alone.
      for (const group of resourceGroups) mapGroupAlone(mapper, resource, group, logger);
    }
  }
}

function mapGroupAlone(mapper: BatchMapper, resource: ResourceConfig, group: WorkGroup, logger: Logger): void {
  try {
    mapResourceGroups(mapper, resource, [group]);
  } catch (error) {
    logger.error({ err: error, kind: resource.kind, resourceIndex: resource.index, ...deliveryLogFields(group.items) }, 'mapping failed');
    group.end = { outcome: 'failed', error: `mapping of ${resource.kind} failed: ${errorMessage(error)}` };
  }
}

/** Map all raw objects of the groups with two mapper calls, then split the results back per group. */
function mapResourceGroups(mapper: BatchMapper, resource: ResourceConfig, groups: readonly WorkGroup[]): void {
  const updated = groups.flatMap((group) => group.raw?.updatedRawResults ?? []);
  const deleted = groups.flatMap((group) => group.raw?.deletedRawResults ?? []);
  const updatedMapped = updated.length > 0 ? mapper.map(resource, updated) : [];
  const deletedMapped = deleted.length > 0 ? mapper.map(resource, deleted) : [];

  let updatedAt = 0;
  let deletedAt = 0;
  for (const group of groups) {
    const ownUpdated = group.raw?.updatedRawResults ?? [];
    const ownDeleted = group.raw?.deletedRawResults ?? [];
    planGroup(
      group,
      ownUpdated.map((raw, i) => ({ raw, mapped: updatedMapped[updatedAt + i] ?? [] })),
      deletedMapped.slice(deletedAt, deletedAt + ownDeleted.length),
    );
    updatedAt += ownUpdated.length;
    deletedAt += ownDeleted.length;
  }
}

function planGroup(group: WorkGroup, updated: ReadonlyArray<{ raw: unknown; mapped: MappedEntity[] }>, deleted: readonly MappedEntity[][]): void {
  const upserts: PlannedUpsert[] = [];
  const deletes: EntityRef[] = [...(group.raw?.deletedEntities ?? [])];

  for (const { raw, mapped } of updated) {
    for (const result of mapped) {
      if (result.selectorError !== undefined) {
        group.end = { outcome: 'failed', error: `selector.query of ${group.resource?.kind} resource ${group.resource?.index} failed: ${result.selectorError}` };
        return;
      }
      if (result.entity === null) continue;
      if (result.passedSelector) upserts.push({ entity: result.entity, raw });
      else deletes.push({ blueprint: result.entity.blueprint, identifier: result.entity.identifier });
    }
  }
  for (const result of deleted.flat()) {
    if (result.entity !== null) deletes.push({ blueprint: result.entity.blueprint, identifier: result.entity.identifier });
  }

  const upsertedKeys = new Set(upserts.map(({ entity }) => refKey(entity)));
  group.upserts = upserts;
  group.deletes = uniqueRefs(deletes.filter((ref) => !upsertedKeys.has(refKey(ref))));
}
