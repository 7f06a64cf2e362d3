/**
 * Reading one row of the entity program's output back into a
 * `MappedEntity`, with Ocean's rules for selectors and empty fields.
 */
import { isRecord } from './codecs.js';
import { describeValue } from './decode-report.js';
import { SELECTOR_KEY } from './jq-program.js';
import type { MappingNode, ObjectNode, ResourceTrees } from './mapping-tree.js';
import type { Entity, MappedEntity } from './types.js';

type Misconfiguration = { readonly field: string; readonly error?: string };

/** Longest jq error text kept, because `error(.)` can carry a whole payload. */
const MAX_ERROR_LENGTH = 300;

/** A wrapped field result: `{v}` for a value, `{e}` for a jq error. */
interface FieldResult {
  readonly value: unknown;
  readonly error?: string;
}

/** Reads a `{v}` / `{e}` pair produced by `wrapExpression`. */
export function readFieldResult(wrapped: unknown): FieldResult {
  if (isRecord(wrapped) && 'e' in wrapped) {
    return { value: null, error: errorText(wrapped['e']) };
  }
  if (isRecord(wrapped) && 'v' in wrapped) {
    return { value: wrapped['v'] };
  }
  return { value: null, error: 'the mapping program returned no result for this field' };
}

/** Shortens an error value (jq allows any JSON value as an error) to a message. */
export function errorText(error: unknown): string {
  const text = typeof error === 'string' ? error : `error(${JSON.stringify(error)})`;
  return text.length <= MAX_ERROR_LENGTH ? text : `${text.slice(0, MAX_ERROR_LENGTH)}...`;
}

/**
 * Python truthiness, which Ocean applies to `identifier` and `blueprint`:
 * null, false, 0, "", [] and {} are falsy.
 */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  if (isRecord(value)) {
    return Object.keys(value).length > 0;
  }
  return Boolean(value);
}

/**
 * Builds the `MappedEntity` of one item from its row. A selector that
 * failed or returned a non-boolean gives `selectorError` and no entity.
 * An entity is made only when `identifier` and `blueprint` are truthy.
 */
export function readRow(trees: ResourceTrees, row: unknown): MappedEntity {
  const fields = isRecord(row) ? row : {};
  const misconfigured: Misconfiguration[] = [];
  const values = unwrapObject(trees.entity, fields, misconfigured);

  const selector = readFieldResult(fields[SELECTOR_KEY]);
  const selectorError = selectorProblem(selector);
  if (selectorError !== undefined) {
    return { entity: null, passedSelector: false, selectorError, misconfigured };
  }

  const entity = toEntity(values, misconfigured);
  return { entity, passedSelector: selector.value === true, misconfigured };
}

function selectorProblem(selector: FieldResult): string | undefined {
  if (selector.error !== undefined) {
    return `selector.query failed: ${selector.error}`;
  }
  if (typeof selector.value !== 'boolean') {
    return `selector.query returned ${describeValue(selector.value)}, but it must return true or false`;
  }
  return undefined;
}

function unwrapNode(node: MappingNode, wrapped: unknown, misconfigured: Misconfiguration[]): unknown {
  switch (node.type) {
    case 'expression': {
      const result = readFieldResult(wrapped);
      if (result.error !== undefined) {
        misconfigured.push({ field: node.field, error: result.error });
      } else if (result.value === null) {
        misconfigured.push({ field: node.field });
      }
      return result.value;
    }
    case 'object':
      return unwrapObject(node, isRecord(wrapped) ? wrapped : {}, misconfigured);
    case 'list': {
      const items = Array.isArray(wrapped) ? wrapped : [];
      return node.items.map((child, index) => unwrapNode(child, items[index], misconfigured));
    }
  }
}

function unwrapObject(node: ObjectNode, wrapped: Record<string, unknown>, misconfigured: Misconfiguration[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, child] of node.entries) {
    values[key] = unwrapNode(child, wrapped[key], misconfigured);
  }
  return values;
}

function toEntity(values: Record<string, unknown>, misconfigured: Misconfiguration[]): Entity | null {
  if (!isTruthy(values['identifier']) || !isTruthy(values['blueprint'])) {
    return null;
  }

  const identifier = typeof values['identifier'] === 'number' ? String(values['identifier']) : values['identifier'];
  const blueprint = values['blueprint'];
  if (typeof identifier !== 'string') {
    misconfigured.push({ field: 'identifier', error: `returned ${describeValue(identifier)}, but an identifier must be a string or a number` });
  }
  if (typeof blueprint !== 'string') {
    misconfigured.push({ field: 'blueprint', error: `returned ${describeValue(blueprint)}, but a blueprint must be a string` });
  }
  if (typeof identifier !== 'string' || typeof blueprint !== 'string') {
    return null;
  }

  return {
    identifier,
    blueprint,
    ...optionalText('title', values, misconfigured),
    ...optionalText('icon', values, misconfigured),
    ...('team' in values ? { team: values['team'] } : {}),
    properties: values['properties'] as Record<string, unknown>,
    relations: values['relations'] as Record<string, unknown>,
  };
}

/**
 * Copies `title` or `icon` when the config maps it. Numbers and booleans
 * become strings. A list or an object becomes null, because Port expects text.
 */
function optionalText(key: 'title' | 'icon', values: Record<string, unknown>, misconfigured: Misconfiguration[]): Partial<Entity> {
  if (!(key in values)) {
    return {};
  }
  const value = values[key];
  if (value === null || typeof value === 'string') {
    return { [key]: value };
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return { [key]: String(value) };
  }
  misconfigured.push({ field: key, error: `returned ${describeValue(value)}; ${key} must be a string` });
  return { [key]: null };
}
