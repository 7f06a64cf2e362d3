/**
 * The JQ expressions of one resource config, arranged as a tree with the
 * shape of the entity they build. The batch program is rendered from this
 * tree and its output is read back along the same tree.
 */
import { rewriteSingleQuotes } from './jq-engine.js';
import type { EntityMapping, ResourceConfig, SearchQuery, SearchRule } from './types.js';

/** One JQ expression and where it sits. */
export interface ExpressionNode {
  readonly type: 'expression';
  /** Path inside the entity mapping (`properties.url`), or `selector.query` / `itemsToParse`. */
  readonly field: string;
  /** Path inside the whole config, for error messages (`resources[0].port.entity.mappings.properties.url`). */
  readonly configPath: string;
  /** The expression as written in the config. */
  readonly source: string;
  /** The expression after the single-quote rewrite, which is what jq runs. */
  readonly expression: string;
}

export interface ObjectNode {
  readonly type: 'object';
  readonly entries: ReadonlyArray<readonly [string, MappingNode]>;
}

export interface ListNode {
  readonly type: 'list';
  readonly items: readonly MappingNode[];
}

export type MappingNode = ExpressionNode | ObjectNode | ListNode;

/** The expression trees of one resource config. */
export interface ResourceTrees {
  readonly selector: ExpressionNode;
  /** `identifier`, `title`, `blueprint`, `icon`, `team`, `properties` and `relations`, as far as the config sets them. */
  readonly entity: ObjectNode;
  readonly itemsToParse?: ExpressionNode;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends `key` to a dotted path, bracketing keys that are not plain identifiers. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${parent}[${key}]`;
  }
  if (!PLAIN_KEY.test(key)) {
    return `${parent}[${JSON.stringify(key)}]`;
  }
  return parent === '' ? key : `${parent}.${key}`;
}

/** Builds the expression trees of a resource config. */
export function resourceTrees(resource: ResourceConfig): ResourceTrees {
  const root = `resources[${resource.index}]`;
  const selector = expressionNode('selector.query', `${root}.selector.query`, resource.selector.query);
  const entity = entityTree(resource.port.entity.mappings, `${root}.port.entity.mappings`);
  const itemsToParse = resource.port.itemsToParse;
  if (itemsToParse === undefined) {
    return { selector, entity };
  }
  return { selector, entity, itemsToParse: expressionNode('itemsToParse', `${root}.port.itemsToParse`, itemsToParse) };
}

function entityTree(mappings: EntityMapping, configRoot: string): ObjectNode {
  const entries: Array<readonly [string, MappingNode]> = [];
  const add = (key: string, value: string | SearchQuery | undefined): void => {
    if (value !== undefined) {
      entries.push([key, valueNode(key, childPath(configRoot, key), value)]);
    }
  };

  add('identifier', mappings.identifier);
  add('title', mappings.title);
  add('blueprint', mappings.blueprint);
  add('icon', mappings.icon);
  add('team', mappings.team);
  entries.push(['properties', mapNode('properties', configRoot, mappings.properties)]);
  entries.push(['relations', mapNode('relations', configRoot, mappings.relations)]);
  return { type: 'object', entries };
}

function mapNode(name: string, configRoot: string, values: Readonly<Record<string, string | SearchQuery>>): ObjectNode {
  const entries = Object.entries(values).map(
    ([key, value]) => [key, valueNode(childPath(name, key), childPath(childPath(configRoot, name), key), value)] as const,
  );
  return { type: 'object', entries };
}

/** Makes one expression node of a JQ string, or an object node with expression leaves of a search query. */
function valueNode(field: string, configPath: string, value: string | SearchQuery | SearchRule): MappingNode {
  if (typeof value === 'string') {
    return expressionNode(field, configPath, value);
  }
  const leaf = (key: string, expression: string) =>
    [key, expressionNode(childPath(field, key), childPath(configPath, key), expression)] as const;

  if ('combinator' in value) {
    const rules = value.rules.map((rule, index) =>
      valueNode(childPath(childPath(field, 'rules'), index), childPath(childPath(configPath, 'rules'), index), rule),
    );
    return { type: 'object', entries: [leaf('combinator', value.combinator), ['rules', { type: 'list', items: rules }]] };
  }
  return { type: 'object', entries: [leaf('property', value.property), leaf('operator', value.operator), leaf('value', value.value)] };
}

function expressionNode(field: string, configPath: string, source: string): ExpressionNode {
  return { type: 'expression', field, configPath, source, expression: rewriteSingleQuotes(source) };
}

/** Lists the expressions of a tree in document order. */
export function expressionsOf(node: MappingNode): ExpressionNode[] {
  switch (node.type) {
    case 'expression':
      return [node];
    case 'object':
      return node.entries.flatMap(([, child]) => expressionsOf(child));
    case 'list':
      return node.items.flatMap((child) => expressionsOf(child));
  }
}
