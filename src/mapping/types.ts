/**
 * Types of Port's app-config mapping format (the `port-app-config.yaml` that
 * Ocean integrations read), as decoded by `decodePortAppConfig`.
 */

/** A search query object; every leaf string is a JQ expression in mappings. */
export interface SearchQuery {
  readonly combinator: string;
  readonly rules: ReadonlyArray<SearchRule | SearchQuery>;
}

export interface SearchRule {
  readonly property: string;
  readonly operator: string;
  readonly value: string;
}

/** `port.entity.mappings`: every string leaf is a JQ expression. */
export interface EntityMapping {
  readonly identifier: string | SearchQuery;
  readonly title?: string;
  readonly blueprint: string;
  readonly icon?: string;
  readonly team?: string | SearchQuery;
  readonly properties: Readonly<Record<string, string>>;
  readonly relations: Readonly<Record<string, string | SearchQuery>>;
}

/**
 * `selector`: `query` is JQ that must return a boolean; the other fields are
 * kind specific (`jql`, `fields`, `expand` for issues; `expand` for projects;
 * `sprintState`, `boardType`, `projectKey` ...). Unknown fields are kept.
 */
export interface Selector {
  readonly query: string;
  readonly [field: string]: unknown;
}

export interface ResourceConfig {
  /** Position in `resources`; work is keyed on it, so two configs of one kind stay apart. */
  readonly index: number;
  readonly kind: string;
  readonly selector: Selector;
  readonly port: {
    readonly entity: { readonly mappings: EntityMapping };
    readonly itemsToParse?: string;
    readonly itemsToParseName: string;
    readonly itemsToParseTopLevelTransform: boolean;
  };
}

/** The whole mapping, with Ocean's defaults applied. */
export interface PortAppConfig {
  /** Sent to Port as `merge` on upserts. Default true. */
  readonly enableMergeEntity: boolean;
  /** Sent to Port as `delete_dependents` on deletes. Default true. */
  readonly deleteDependentEntities: boolean;
  /** Sent to Port as `create_missing_related_entities` on upserts. Default true. */
  readonly createMissingRelatedEntities: boolean;
  /** Resync-only in Ocean; kept for compatibility. Default 0.9. */
  readonly entityDeletionThreshold: number;
  readonly resources: readonly ResourceConfig[];
}

/** A Port entity as sent in a bulk upsert. */
export interface Entity {
  readonly identifier: string;
  readonly blueprint: string;
  readonly title?: string | null;
  readonly icon?: string | null;
  readonly team?: unknown;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly relations: Readonly<Record<string, unknown>>;
}

/** What the mapping made of one raw item (one per `itemsToParse` element). */
export interface MappedEntity {
  /** The entity, or null when identifier or blueprint came out empty (Ocean skips those). */
  readonly entity: Entity | null;
  /** True when `selector.query` returned `true`; false for `false` or on a selector error. */
  readonly passedSelector: boolean;
  /** Set when `selector.query` failed or returned a non-boolean; the item yields no entity. */
  readonly selectorError?: string;
  /** Fields whose expression failed or returned null, with jq's message when it failed. */
  readonly misconfigured: ReadonlyArray<{ readonly field: string; readonly error?: string }>;
}
