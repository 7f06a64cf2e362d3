import type { Entity } from '../mapping/types.js';

/**
 * Port's bulk upsert limits (OpenAPI spec): at most 20 entities and 1 MiB of request body.
 * NOTE: the spec does not say whether a body of exactly 1 MiB passes. A 413 still splits the batch.
 */
export const MAX_ENTITIES_PER_UPSERT = 20;
export const MAX_UPSERT_BODY_BYTES = 1024 * 1024;

/** Port's bulk delete limit (OpenAPI spec): at most 100 identifiers per request. */
export const MAX_IDS_PER_DELETE = 100;

/** One entity ready to send: its identifier and its JSON text. */
export interface SerializedEntity {
  readonly identifier: string;
  readonly json: string;
  readonly bytes: number;
}

/** Bytes of `{"entities":[` and `]}` around the entity list. */
const ENVELOPE_BYTES = Buffer.byteLength('{"entities":[]}');

/** Serializes an entity for the bulk body. `blueprint` is left out because the path names it. */
export function serializeEntity(entity: Entity): SerializedEntity {
  const { blueprint: _blueprint, ...body } = entity;
  const json = JSON.stringify(body);
  return { identifier: entity.identifier, json, bytes: Buffer.byteLength(json) };
}

/** Builds the bulk upsert body from serialized entities. */
export function bulkBody(entities: readonly SerializedEntity[]): string {
  return `{"entities":[${entities.map((entity) => entity.json).join(',')}]}`;
}

/** Returns the size in bytes of `bulkBody(entities)` without building it. */
export function bulkBodyBytes(entities: readonly SerializedEntity[]): number {
  const separators = Math.max(0, entities.length - 1);
  return entities.reduce((sum, entity) => sum + entity.bytes, ENVELOPE_BYTES + separators);
}

/**
 * Splits entities, in order, into batches of at most `maxEntities` whose
 * bulk body is at most `maxBytes`. An entity too large for any body gets a
 * batch of its own, so that Port's 413 reports it.
 */
export function batchEntities(
  entities: readonly SerializedEntity[],
  maxEntities = MAX_ENTITIES_PER_UPSERT,
  maxBytes = MAX_UPSERT_BODY_BYTES,
): SerializedEntity[][] {
  const batches: SerializedEntity[][] = [];
  let current: SerializedEntity[] = [];
  let currentBytes = ENVELOPE_BYTES;

  for (const entity of entities) {
    const addedBytes = entity.bytes + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && (current.length >= maxEntities || currentBytes + addedBytes > maxBytes)) {
      batches.push(current);
      current = [];
      currentBytes = ENVELOPE_BYTES;
    }
    currentBytes += entity.bytes + (current.length > 0 ? 1 : 0);
    current.push(entity);
  }

  if (current.length > 0) {
    batches.push(current);
  }
  return batches;
}

/** Splits a list into chunks of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}
