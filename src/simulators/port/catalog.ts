import { permissiveBlueprint } from './default-blueprints.js';
import type { EntityInput } from './entity-validation.js';
import type { Blueprint, EntityRejection, StoredEntity, UpsertFlags } from './types.js';

/** The result of one upsert: the stored (or, with `validation_only`, the would-be) entity. */
export type UpsertResult =
  | { readonly ok: true; readonly created: boolean; readonly entity: StoredEntity }
  | { readonly ok: false; readonly rejection: EntityRejection };

/** The result of a delete: the ids removed, or why nothing was removed. */
export type DeleteResult =
  | { readonly ok: true; readonly deleted: readonly string[] }
  | { readonly ok: false; readonly rejection: EntityRejection };

interface RelationTarget {
  readonly blueprint: string;
  readonly identifier: string;
}

function relationTargets(value: unknown): string[] {
  if (value === null || value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).filter((target): target is string => typeof target === 'string');
}

/**
 * In-memory blueprints and entities of one simulated Port organization.
 * Relations are stored as sent, so a deleted target keeps its identifier in
 * the optional relations that point at it.
 */
export class Catalog {
  private readonly blueprints = new Map<string, Blueprint>();
  private readonly entities = new Map<string, Map<string, StoredEntity>>();

  constructor(private readonly autoCreateBlueprints: boolean) {}

  /** Adds the blueprints and replaces any with the same identifier. Entities are kept. */
  loadBlueprints(blueprints: readonly Blueprint[]): void {
    for (const blueprint of blueprints) {
      this.blueprints.set(blueprint.identifier, blueprint);
    }
  }

  /** Creates a blueprint. Returns false when one with that identifier exists. */
  createBlueprint(blueprint: Blueprint): boolean {
    if (this.blueprints.has(blueprint.identifier)) {
      return false;
    }
    this.blueprints.set(blueprint.identifier, blueprint);
    return true;
  }

  getBlueprint(identifier: string): Blueprint | undefined {
    return this.blueprints.get(identifier);
  }

  /**
   * Returns the blueprint for a write, creating a permissive one first when
   * `autoCreateBlueprints` is on. Returns undefined when it does not exist.
   */
  blueprintForWrite(identifier: string): Blueprint | undefined {
    const existing = this.blueprints.get(identifier);
    if (existing || !this.autoCreateBlueprints) {
      return existing;
    }
    const created = permissiveBlueprint(identifier);
    this.blueprints.set(identifier, created);
    return created;
  }

  get(blueprint: string, identifier: string): StoredEntity | undefined {
    return this.entities.get(blueprint)?.get(identifier);
  }

  list(blueprint: string): StoredEntity[] {
    return [...(this.entities.get(blueprint)?.values() ?? [])];
  }

  /** Returns every stored entity keyed by blueprint. Blueprints without entities are left out. */
  all(): Record<string, StoredEntity[]> {
    const result: Record<string, StoredEntity[]> = {};
    for (const [blueprint, entities] of this.entities) {
      if (entities.size > 0) {
        result[blueprint] = [...entities.values()];
      }
    }
    return result;
  }

  /** Removes every blueprint and entity. */
  clear(): void {
    this.blueprints.clear();
    this.entities.clear();
  }

  /**
   * Upserts one validated entity. Without `upsert` an existing identifier is
   * a conflict. With `merge` the given properties and relations are merged
   * into the existing entity, otherwise they replace it. Missing relation
   * targets are created as bare entities with `create_missing_related_entities`,
   * and are a 404 without it.
   */
  upsert(blueprint: Blueprint, input: EntityInput, flags: UpsertFlags): UpsertResult {
    const existing = this.get(blueprint.identifier, input.identifier);
    if (existing && !flags.upsert) {
      return { ok: false, rejection: { statusCode: 409, error: 'identifier_taken', message: `entity "${input.identifier}" already exists in blueprint "${blueprint.identifier}"; send upsert=true to update it` } };
    }

    const missing = this.missingTargets(blueprint, input);
    const missingRejection = this.checkMissingTargets(missing, flags.createMissingRelatedEntities);
    if (missingRejection) {
      return { ok: false, rejection: missingRejection };
    }

    const entity = buildEntity(blueprint.identifier, input, flags.merge ? existing : undefined, existing?.createdAt);
    if (!flags.validationOnly) {
      this.store(entity);
      for (const target of missing) {
        this.store(buildEntity(target.blueprint, { identifier: target.identifier }, undefined, undefined));
      }
    }
    return { ok: true, created: !existing, entity };
  }

  private store(entity: StoredEntity): void {
    let entities = this.entities.get(entity.blueprint);
    if (!entities) {
      entities = new Map();
      this.entities.set(entity.blueprint, entities);
    }
    entities.set(entity.identifier, entity);
  }

  /** Relation targets of declared relations that are not stored (an entity may relate to itself). */
  private missingTargets(blueprint: Blueprint, input: EntityInput): RelationTarget[] {
    const missing: RelationTarget[] = [];
    for (const [key, value] of Object.entries(input.relations ?? {})) {
      const definition = blueprint.relations[key];
      if (!definition) {
        continue;
      }
      for (const identifier of relationTargets(value)) {
        const isSelf = definition.target === blueprint.identifier && identifier === input.identifier;
        if (!isSelf && !this.get(definition.target, identifier)) {
          missing.push({ blueprint: definition.target, identifier });
        }
      }
    }
    return missing;
  }

  private checkMissingTargets(missing: readonly RelationTarget[], createMissing: boolean): EntityRejection | null {
    for (const target of missing) {
      if (!createMissing) {
        return { statusCode: 404, error: 'not_found', message: `related entity "${target.identifier}" of blueprint "${target.blueprint}" was not found; create it first or send create_missing_related_entities=true` };
      }
      if (!this.blueprintForWrite(target.blueprint)) {
        return { statusCode: 404, error: 'not_found', message: `blueprint "${target.blueprint}" of related entity "${target.identifier}" was not found` };
      }
    }
    return null;
  }

  /**
   * Deletes the entities that exist and returns their ids. Unknown ids are
   * skipped. An entity that is the target of a required relation is deleted
   * with its dependents when `deleteDependents` is set. Otherwise the whole
   * call fails with 422 and nothing is deleted.
   */
  delete(blueprint: string, identifiers: readonly string[], deleteDependents: boolean): DeleteResult {
    const present = identifiers.filter((identifier) => this.get(blueprint, identifier));
    const dependents = present.flatMap((identifier) => this.dependentsOf({ blueprint, identifier }));

    if (dependents.length > 0 && !deleteDependents) {
      const first = dependents[0]!;
      return { ok: false, rejection: { statusCode: 422, error: 'has_dependents', message: `entity "${first.identifier}" of blueprint "${first.blueprint}" has a required relation to an entity in this request; send delete_dependents=true to delete it too` } };
    }

    for (const identifier of present) {
      this.deleteWithDependents({ blueprint, identifier });
    }
    return { ok: true, deleted: present };
  }

  private deleteWithDependents(target: RelationTarget): void {
    if (!this.entities.get(target.blueprint)?.delete(target.identifier)) {
      return;
    }
    for (const dependent of this.dependentsOf(target)) {
      this.deleteWithDependents(dependent);
    }
  }

  /** Entities that point at `target` through a relation marked `required`. */
  private dependentsOf(target: RelationTarget): RelationTarget[] {
    const dependents: RelationTarget[] = [];
    for (const source of this.blueprints.values()) {
      const keys = Object.entries(source.relations)
        .filter(([, relation]) => relation.required && relation.target === target.blueprint)
        .map(([key]) => key);
      if (keys.length === 0) {
        continue;
      }
      for (const entity of this.list(source.identifier)) {
        if (keys.some((key) => relationTargets(entity.relations[key]).includes(target.identifier))) {
          dependents.push({ blueprint: source.identifier, identifier: entity.identifier });
        }
      }
    }
    return dependents;
  }
}

/** Builds the stored form of an upsert. `base` is the existing entity when merging, else undefined. */
function buildEntity(blueprint: string, input: EntityInput, base: StoredEntity | undefined, createdAt: string | undefined): StoredEntity {
  const now = new Date().toISOString();
  const entity: StoredEntity = {
    identifier: input.identifier,
    blueprint,
    properties: { ...base?.properties, ...input.properties },
    relations: { ...base?.relations, ...input.relations },
    createdAt: createdAt ?? now,
    updatedAt: now,
  };
  const title = input.title !== undefined ? input.title : base?.title;
  const icon = input.icon !== undefined ? input.icon : base?.icon;
  const team = input.team !== undefined ? input.team : base?.team;
  return {
    ...entity,
    ...(title !== undefined ? { title } : {}),
    ...(icon !== undefined ? { icon } : {}),
    ...(team !== undefined ? { team } : {}),
  };
}
