import type { Blueprint, BlueprintProperty, EntityRejection } from './types.js';

/** Port's identifier rule (OpenAPI spec of the entity routes): no `.` or `..`, letters, digits and `@_.+:\/=-`. */
export const IDENTIFIER_PATTERN = /^(?!\.{1,2}$)[\p{L}0-9@_.+:\\/=-]+$/u;
export const IDENTIFIER_MAX_LENGTH = 1000;

/** The fields of an upsert body that the simulator reads, after the shape check. */
export interface EntityInput {
  readonly identifier: string;
  readonly title?: string | null;
  readonly icon?: string | null;
  readonly team?: unknown;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly relations?: Readonly<Record<string, unknown>>;
}

function reject(statusCode: number, error: string, message: string): EntityRejection {
  return { statusCode, error, message };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the rejection for an identifier that breaks Port's rule, or null when it is valid. */
export function checkIdentifier(identifier: unknown, field = 'identifier'): EntityRejection | null {
  if (typeof identifier !== 'string') {
    // NOTE: Port also accepts a search query object as the identifier, but the simulator rejects it.
    return reject(422, 'invalid_request', `${field} must be a string, got ${JSON.stringify(identifier) ?? 'undefined'}`);
  }
  if (identifier.length > IDENTIFIER_MAX_LENGTH) {
    return reject(422, 'invalid_request', `${field} is ${identifier.length} characters long, the maximum is ${IDENTIFIER_MAX_LENGTH}`);
  }
  if (!IDENTIFIER_PATTERN.test(identifier)) {
    return reject(422, 'invalid_request', `${field} "${identifier}" does not match ${IDENTIFIER_PATTERN.source}`);
  }
  return null;
}

function typeOfValue(value: unknown): string {
  if (Array.isArray(value)) {
    return 'array';
  }
  return value === null ? 'null' : typeof value;
}

function checkProperty(key: string, value: unknown, definition: BlueprintProperty): EntityRejection | null {
  if (value === null) {
    return null;
  }

  const actual = typeOfValue(value);
  if (actual !== definition.type) {
    return reject(422, 'invalid_property_type', `property "${key}" must be of type ${definition.type}, got ${actual}`);
  }

  if (definition.enum && !definition.enum.includes(value)) {
    return reject(422, 'invalid_property_value', `property "${key}" must be one of ${JSON.stringify(definition.enum)}, got ${JSON.stringify(value)}`);
  }
  return null;
}

/**
 * Checks property keys and top-level JSON types against the blueprint schema.
 * Null is accepted for every property because it unsets the value.
 * NOTE: array item types and `format` are not checked.
 */
function checkPropertyValues(properties: Record<string, unknown>, blueprint: Blueprint): EntityRejection | null {
  if (blueprint.permissive) {
    return null;
  }
  for (const [key, value] of Object.entries(properties)) {
    const definition = blueprint.schema.properties[key];
    if (!definition) {
      return reject(422, 'invalid_request', `property "${key}" is not defined in blueprint "${blueprint.identifier}"`);
    }
    const rejection = checkProperty(key, value, definition);
    if (rejection) {
      return rejection;
    }
  }
  return null;
}

function checkRelationValue(key: string, value: unknown, many: boolean | undefined): EntityRejection | null {
  if (value === null) {
    return null;
  }

  const targets = Array.isArray(value) ? value : [value];
  if (many === true && !Array.isArray(value)) {
    return reject(422, 'invalid_request', `relation "${key}" is a many relation and needs an array, got ${typeOfValue(value)}`);
  }
  if (many === false && Array.isArray(value)) {
    return reject(422, 'invalid_request', `relation "${key}" is a single relation and needs a string or null, got an array`);
  }

  for (const target of targets) {
    const rejection = checkIdentifier(target, `relation "${key}" target`);
    if (rejection) {
      return rejection;
    }
  }
  return null;
}

/** Checks the properties and relations of a shape-checked entity against the blueprint. */
function checkAgainstSchema(raw: Record<string, unknown>, blueprint: Blueprint): EntityRejection | null {
  return checkPropertyValues((raw['properties'] ?? {}) as Record<string, unknown>, blueprint)
    ?? checkRelations((raw['relations'] ?? {}) as Record<string, unknown>, blueprint);
}

/** Checks relation keys against the blueprint and each target identifier against Port's rule. */
function checkRelations(relations: Record<string, unknown>, blueprint: Blueprint): EntityRejection | null {
  for (const [key, value] of Object.entries(relations)) {
    const definition = blueprint.relations[key];
    if (!definition && !blueprint.permissive) {
      return reject(422, 'invalid_request', `relation "${key}" is not defined in blueprint "${blueprint.identifier}"`);
    }
    const rejection = checkRelationValue(key, value, definition?.many);
    if (rejection) {
      return rejection;
    }
  }
  return null;
}

/** The outcome of `validateEntity`: the typed input, or the rejection Port would report. */
export type EntityValidation =
  | { readonly valid: true; readonly entity: EntityInput }
  | { readonly valid: false; readonly rejection: EntityRejection };

/** Validates one entity of an upsert body against the blueprint. */
export function validateEntity(raw: unknown, blueprint: Blueprint): EntityValidation {
  const rejection = checkShape(raw) ?? checkAgainstSchema(raw as Record<string, unknown>, blueprint);
  return rejection ? { valid: false, rejection } : { valid: true, entity: raw as unknown as EntityInput };
}

function checkShape(raw: unknown): EntityRejection | null {
  if (!isRecord(raw)) {
    return reject(422, 'invalid_request', `entity must be a JSON object, got ${typeOfValue(raw)}`);
  }

  const identifierRejection = checkIdentifier(raw['identifier']);
  if (identifierRejection) {
    return identifierRejection;
  }

  for (const field of ['properties', 'relations'] as const) {
    if (raw[field] !== undefined && !isRecord(raw[field])) {
      return reject(422, 'invalid_request', `${field} must be a JSON object, got ${typeOfValue(raw[field])}`);
    }
  }
  for (const field of ['title', 'icon'] as const) {
    if (raw[field] !== undefined && raw[field] !== null && typeof raw[field] !== 'string') {
      return reject(422, 'invalid_request', `${field} must be a string or null, got ${typeOfValue(raw[field])}`);
    }
  }

  return null;
}
