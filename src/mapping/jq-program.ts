/**
 * Rendering of the batch jq programs: one program per resource config that
 * maps a whole array of items in a single jq run.
 */
import type { ExpressionNode, MappingNode, ResourceTrees } from './mapping-tree.js';

/** Key of the selector's result in each row of the entity program's output. */
export const SELECTOR_KEY = '__sel';

/**
 * Wraps one expression so it keeps Ocean's per-field rules inside a larger
 * program: the first output as `{v}`, an error as `{e: message}`, and no
 * output as `{v: null}`. The expression sits on its own lines, and a blank
 * line follows it, so a trailing `#` comment (even one continued with a
 * backslash, which jq 1.8 allows) cannot swallow the closing parenthesis.
 */
export function wrapExpression(expression: string): string {
  return `((try {v: first(\n${expression}\n\n)} catch {e: .}) // {v: null})`;
}

/** Renders a tree as a jq object or array constructor whose leaves are wrapped expressions. */
export function renderNode(node: MappingNode): string {
  switch (node.type) {
    case 'expression':
      return wrapExpression(node.expression);
    case 'object':
      return `{${node.entries.map(([key, child]) => `${JSON.stringify(key)}: ${renderNode(child)}`).join(', ')}}`;
    case 'list':
      return `[${node.items.map((child) => renderNode(child)).join(', ')}]`;
  }
}

/**
 * Renders the row for one item: the selector under `__sel`, then the
 * entity's fields, each wrapped.
 */
export function renderRow(trees: ResourceTrees): string {
  const entries = trees.entity.entries.map(([key, child]) => `${JSON.stringify(key)}: ${renderNode(child)}`);
  return `{${JSON.stringify(SELECTOR_KEY)}: ${wrapExpression(trees.selector.expression)}, ${entries.join(', ')}}`;
}

/** The entity program: an array of items in, an array of rows (one per item, same order) out. */
export function entityProgram(trees: ResourceTrees): string {
  return `map(${renderRow(trees)})`;
}

/** The `itemsToParse` program: an array of items in, one wrapped result per item out. */
export function itemsProgram(itemsToParse: ExpressionNode): string {
  return `map(${wrapExpression(itemsToParse.expression)})`;
}
