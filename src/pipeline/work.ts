import type { Delivery } from '../core/delivery.js';
import type { EntityRef, Outcome } from '../core/results.js';
import type { Entity, ResourceConfig } from '../mapping/types.js';
import type { Processor, RawResults, WebhookEvent } from '../processors/processor.js';

/** The end of a unit of work that stopped before it reached Port, with the reason. */
export interface WorkEnd {
  readonly outcome: Extract<Outcome, 'ignored' | 'rejected' | 'failed'>;
  readonly reason?: string;
  readonly error?: string;
}

/**
 * One unit of work: a delivery paired with one processor and one resource
 * config of a kind that processor produces. A delivery no processor owns
 * becomes a single item with `end` set and no processor.
 */
export interface WorkItem {
  readonly delivery: Delivery;
  /** Epoch ms when the pipeline read the delivery from the log. */
  readonly startedAt: number;
  readonly webhookEvent: string | null;
  readonly event?: WebhookEvent;
  readonly processor?: Processor<unknown>;
  readonly resource?: ResourceConfig;
  /** The validated payload, set by the validation stage. */
  readonly payload?: unknown;
  readonly entityId?: string;
  readonly end?: WorkEnd;
}

/** An entity to upsert, with the raw Jira object it was mapped from. */
export interface PlannedUpsert {
  readonly entity: Entity;
  readonly raw: unknown;
}

/**
 * Work items for one (processor, resource config, entity id), coalesced into
 * one fetch and one write. Each stage after coalescing fills in its part;
 * a group with `end` set passes the remaining stages untouched.
 */
export interface WorkGroup {
  readonly key: string;
  readonly items: readonly WorkItem[];
  readonly processor?: Processor<unknown>;
  readonly resource?: ResourceConfig;
  readonly entityId?: string;
  /** The payload the work runs with: the deletion's, or all payloads merged. */
  readonly payload?: unknown;
  readonly deletion: boolean;
  end?: WorkEnd;
  raw?: RawResults;
  fetchedAt?: number;
  upserts?: PlannedUpsert[];
  deletes?: EntityRef[];
  upserted?: EntityRef[];
  deleted?: EntityRef[];
  writtenAt?: number;
  /** Ends the entity's turn: the next coalesced group for the same key may start. */
  release(): void;
}

/** Key of one entity's work: kind, resource config and entity id. */
export function workKey(item: WorkItem): string {
  if (!item.resource || item.entityId === undefined) return `delivery:${item.delivery.offset}`;
  return `${item.resource.kind}:${item.resource.index}:${item.entityId}`;
}

/** Wrap an item that already ended (rejected, ignored) in a group that holds no entity lock. */
export function endedGroup(item: WorkItem): WorkGroup {
  return {
    key: workKey(item),
    items: [item],
    deletion: false,
    ...(item.processor ? { processor: item.processor } : {}),
    ...(item.resource ? { resource: item.resource } : {}),
    ...(item.end ? { end: item.end } : {}),
    release: () => undefined,
  };
}

/**
 * Log fields naming the deliveries behind some work items: `deliveryIds`
 * and `webhookEvents` in the same order, so every log line about coalesced
 * work carries the id and event of each delivery.
 */
export function deliveryLogFields(items: readonly WorkItem[]): { deliveryIds: string[]; webhookEvents: Array<string | null> } {
  return { deliveryIds: items.map((item) => item.delivery.deliveryId), webhookEvents: items.map((item) => item.webhookEvent) };
}

/** Return the message of an unknown thrown value, for results and logs. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** Key of an entity address, for sets and maps; NUL cannot occur in a blueprint. */
export function refKey(ref: EntityRef): string {
  return `${ref.blueprint}\u0000${ref.identifier}`;
}

/** Key of an entity address within one resource config. */
export function scopedRefKey(resourceIndex: number, ref: EntityRef): string {
  return `${resourceIndex}\u0000${refKey(ref)}`;
}

/** The refs without repeats, keeping the last copy of each address. */
export function uniqueRefs(refs: readonly EntityRef[]): EntityRef[] {
  const seen = new Map<string, EntityRef>();
  for (const ref of refs) seen.set(refKey(ref), ref);
  return [...seen.values()];
}
