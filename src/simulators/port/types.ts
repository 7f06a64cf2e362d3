import type { Entity } from '../../mapping/types.js';

/**
 * Shapes shared by the Port simulator's modules: blueprints, stored entities,
 * per-entity failures, fault settings and identifier-rejection rules.
 */

/** JSON types a blueprint property may declare (Port's blueprint schema `type`). */
export type PropertyType = 'string' | 'number' | 'boolean' | 'array' | 'object';

export interface BlueprintProperty {
  readonly type: PropertyType;
  readonly title?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly items?: { readonly type?: string };
}

export interface BlueprintRelation {
  /** Identifier of the blueprint the relation points at. */
  readonly target: string;
  readonly title?: string;
  readonly required: boolean;
  readonly many: boolean;
}

/**
 * A blueprint as the simulator stores it. A permissive blueprint accepts any
 * property and relation key without type checks, because its schema is unknown.
 */
export interface Blueprint {
  readonly identifier: string;
  readonly title: string;
  readonly permissive: boolean;
  readonly schema: { readonly properties: Readonly<Record<string, BlueprintProperty>> };
  readonly relations: Readonly<Record<string, BlueprintRelation>>;
}

/** An entity as stored in the simulator and returned by its read endpoints. */
export interface StoredEntity extends Entity {
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Port's reason for rejecting one entity: an `errors[]` item of a bulk response, without its index. */
export interface EntityRejection {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
}

/** Query flags of the upsert endpoints, each `false` unless the query sets it to `true`. */
export interface UpsertFlags {
  readonly upsert: boolean;
  readonly merge: boolean;
  readonly createMissingRelatedEntities: boolean;
  readonly validationOnly: boolean;
}

/**
 * A test rule that makes the simulator reject matching identifiers with a
 * chosen status, as if Port's validation had failed for them.
 */
export interface RejectIdentifierRule {
  /** Blueprint the rule applies to. Absent means every blueprint. */
  readonly blueprint?: string;
  /** Exact identifiers to reject. */
  readonly identifiers?: readonly string[];
  /** Regular expression source. Identifiers it matches are rejected. */
  readonly pattern?: string;
  /** Per-entity status code, 422 by default. */
  readonly statusCode?: number;
  /** Per-entity error code, `rejected_by_rule` by default. */
  readonly error?: string;
  readonly message?: string;
}

/**
 * Responds to the next `count` requests that match `method` and `path` with
 * `status`, before any other handling (authentication included).
 */
export interface FailNextRule {
  /** HTTP method, any method when absent. */
  readonly method?: string;
  /** A route template such as `/v1/blueprints/{bp}/entities/bulk`, or a concrete path. */
  readonly path: string;
  readonly status: number;
  /** Number of matching requests that fail, 1 by default. */
  readonly count?: number;
  /** Sent as the `Retry-After` header, in seconds. */
  readonly retryAfterSeconds?: number;
  /** Error code in the JSON body. By default it is derived from the status. */
  readonly error?: string;
}

/** An organization-wide request limit over a fixed window. */
export interface RateLimitSettings {
  readonly requestsPerSecond: number;
  /**
   * Format of `x-ratelimit-reset`: seconds until the window resets (the
   * default), or the UTC epoch second at which it resets. Port's docs state
   * both meanings, so clients must accept either.
   */
  readonly resetFormat?: 'seconds' | 'epoch';
}

/** Fault settings. `setFaults` replaces the previous settings as a whole. */
export interface FaultSettings {
  /** Delay before every `/v1` response, in milliseconds. */
  readonly latencyMs?: number;
  /** Share of `/v1` requests (0 to 1) that fail with `randomErrorStatus`. */
  readonly randomErrorRate?: number;
  /** Status of the random failures, 503 by default. */
  readonly randomErrorStatus?: number;
  /** Seed of the random failure sequence, so a run can be repeated. 1 by default. */
  readonly seed?: number;
  readonly failNext?: readonly FailNextRule[];
  readonly rateLimit?: RateLimitSettings;
}

/** Request counts keyed by endpoint (`POST /v1/blueprints/{bp}/entities/bulk`), then by status. */
export type RequestCounts = Record<string, Record<string, number>>;
