import { checkIdentifier, isRecord } from './entity-validation.js';
import type { Blueprint, BlueprintProperty, BlueprintRelation, PropertyType } from './types.js';

const PROPERTY_TYPES: readonly PropertyType[] = ['string', 'number', 'boolean', 'array', 'object'];

/** A parsed blueprint, or the message that names the invalid field. */
export type BlueprintParse = { readonly ok: true; readonly blueprint: Blueprint } | { readonly ok: false; readonly message: string };

function parseProperties(raw: unknown, identifier: string): Record<string, BlueprintProperty> | string {
  const properties: Record<string, BlueprintProperty> = {};
  if (raw === undefined) {
    return properties;
  }
  if (!isRecord(raw)) {
    return `schema.properties of blueprint "${identifier}" must be an object`;
  }
  for (const [key, definition] of Object.entries(raw)) {
    const type = isRecord(definition) ? definition['type'] : undefined;
    if (!PROPERTY_TYPES.includes(type as PropertyType)) {
      return `property "${key}" of blueprint "${identifier}" has type ${JSON.stringify(type)}; expected one of ${PROPERTY_TYPES.join(', ')}`;
    }
    properties[key] = definition as unknown as BlueprintProperty;
  }
  return properties;
}

function parseRelations(raw: unknown, identifier: string): Record<string, BlueprintRelation> | string {
  const relations: Record<string, BlueprintRelation> = {};
  if (raw === undefined) {
    return relations;
  }
  if (!isRecord(raw)) {
    return `relations of blueprint "${identifier}" must be an object`;
  }
  for (const [key, definition] of Object.entries(raw)) {
    if (!isRecord(definition) || typeof definition['target'] !== 'string') {
      return `relation "${key}" of blueprint "${identifier}" needs a string "target"`;
    }
    relations[key] = {
      target: definition['target'],
      required: definition['required'] === true,
      many: definition['many'] === true,
      ...(typeof definition['title'] === 'string' ? { title: definition['title'] } : {}),
    };
  }
  return relations;
}

/**
 * Parses a blueprint in Port's JSON form (`identifier`, `title`,
 * `schema.properties`, `relations`). The simulator-only field
 * `permissive: true` turns off property and relation key checks.
 */
export function parseBlueprint(raw: unknown): BlueprintParse {
  if (!isRecord(raw)) {
    return { ok: false, message: 'blueprint must be a JSON object' };
  }

  const identifierProblem = checkIdentifier(raw['identifier']);
  if (identifierProblem) {
    return { ok: false, message: `blueprint ${identifierProblem.message}` };
  }
  const identifier = raw['identifier'] as string;

  const schema = raw['schema'];
  const properties = parseProperties(isRecord(schema) ? schema['properties'] : undefined, identifier);
  const relations = parseRelations(raw['relations'], identifier);
  if (typeof properties === 'string' || typeof relations === 'string') {
    return { ok: false, message: typeof properties === 'string' ? properties : (relations as string) };
  }

  const title = typeof raw['title'] === 'string' ? raw['title'] : identifier;
  return { ok: true, blueprint: { identifier, title, permissive: raw['permissive'] === true, schema: { properties }, relations } };
}

/** The blueprint as Port's blueprint routes return it. */
export function blueprintView(blueprint: Blueprint): Record<string, unknown> {
  return { identifier: blueprint.identifier, title: blueprint.title, schema: blueprint.schema, relations: blueprint.relations };
}
