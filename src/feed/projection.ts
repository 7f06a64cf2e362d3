import type { EntityRef, ProcessedResult, ResultTimings, WorkResult } from '../core/results.js';

/**
 * Copies the fields of `ProcessedResult` that the feed publishes, one by one.
 *
 * Results never carry payloads, but a stage may still attach extra fields to
 * the object at run time. Copying named fields means that only the fields in
 * the contract reach a feed client.
 */
export function projectResult(result: ProcessedResult): ProcessedResult {
  return {
    offset: result.offset,
    deliveryId: result.deliveryId,
    webhookEvent: result.webhookEvent,
    processors: [...result.processors],
    kinds: [...result.kinds],
    outcome: result.outcome,
    upserted: result.upserted.map(projectEntityRef),
    deleted: result.deleted.map(projectEntityRef),
    ...optionalField('reason', result.reason),
    ...optionalField('error', result.error),
    work: result.work.map(projectWorkResult),
    timings: projectTimings(result.timings),
  };
}

/** Serializes one result as the text of a feed message. */
export function serializeResult(result: ProcessedResult): string {
  return JSON.stringify(projectResult(result));
}

function projectWorkResult(work: WorkResult): WorkResult {
  return {
    processor: work.processor,
    kind: work.kind,
    resourceIndex: work.resourceIndex,
    ...optionalField('entityId', work.entityId),
    outcome: work.outcome,
    upserted: work.upserted.map(projectEntityRef),
    deleted: work.deleted.map(projectEntityRef),
    ...optionalField('reason', work.reason),
    ...optionalField('error', work.error),
    ...optionalField('deadLetterId', work.deadLetterId),
  };
}

function projectEntityRef(entity: EntityRef): EntityRef {
  return { blueprint: entity.blueprint, identifier: entity.identifier };
}

function projectTimings(timings: ResultTimings): ResultTimings {
  return {
    receivedAt: timings.receivedAt,
    startedAt: timings.startedAt,
    ...optionalField('fetchedAt', timings.fetchedAt),
    ...optionalField('writtenAt', timings.writtenAt),
    finishedAt: timings.finishedAt,
  };
}

/** Returns `{ [name]: value }`, or an empty object when the value is undefined. */
function optionalField<Name extends string, Value>(
  name: Name,
  value: Value | undefined,
): { [Key in Name]?: Value } {
  if (value === undefined) {
    return {};
  }
  return { [name]: value } as { [Key in Name]?: Value };
}
