import type { Entity } from '../mapping/types.js';

/** Query flags sent with every upsert, from the mapping's top-level flags. */
export interface UpsertOptions {
  readonly merge: boolean;
  readonly createMissingRelatedEntities: boolean;
}

export interface EntityFailure {
  readonly identifier: string;
  /** HTTP status Port reported for this entity (or for the whole request). */
  readonly status: number;
  readonly error: string;
  readonly message?: string;
}

/** Per-entity outcome of a bulk upsert. */
export interface BulkUpsertOutcome {
  readonly succeeded: readonly string[];
  readonly failed: readonly EntityFailure[];
}

/** Per-entity outcome of a bulk delete. */
export interface BulkDeleteOutcome {
  readonly deleted: readonly string[];
  readonly failed: readonly EntityFailure[];
}

/**
 * What the pipeline asks of Port. Implementations respect Port's limits
 * (at most 20 entities and 1 MiB per bulk upsert, 100 ids per bulk delete),
 * split a batch on 413, and retry 429/5xx/network errors before reporting
 * a failure.
 */
export interface PortApi {
  upsertEntities(blueprint: string, entities: readonly Entity[], options: UpsertOptions): Promise<BulkUpsertOutcome>;
  deleteEntities(blueprint: string, identifiers: readonly string[], options: { readonly deleteDependents: boolean }): Promise<BulkDeleteOutcome>;
}
