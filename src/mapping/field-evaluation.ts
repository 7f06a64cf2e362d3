/**
 * The last-resort path for an item that makes the whole mapping program
 * fail: each expression runs alone, so only the failing fields are lost.
 */
import { JqEvaluationError, type JqEngine } from './jq-engine.js';
import { SELECTOR_KEY, wrapExpression } from './jq-program.js';
import type { MappingNode, ResourceTrees } from './mapping-tree.js';

/** Builds the same row as the entity program, running each expression of `trees` alone on `input`. */
export function evaluateRowByField(engine: JqEngine, trees: ResourceTrees, input: unknown): Record<string, unknown> {
  const row: Record<string, unknown> = { [SELECTOR_KEY]: evaluateField(engine, trees.selector.expression, input) };
  for (const [key, child] of trees.entity.entries) {
    row[key] = evaluateNode(engine, child, input);
  }
  return row;
}

/** Runs one wrapped expression. A jq failure (such as `halt_error`) becomes `{e: message}`. */
export function evaluateField(engine: JqEngine, expression: string, input: unknown): unknown {
  try {
    return engine.run(input, wrapExpression(expression))[0];
  } catch (error) {
    if (error instanceof JqEvaluationError) {
      return { e: error.jqMessage };
    }
    throw error;
  }
}

function evaluateNode(engine: JqEngine, node: MappingNode, input: unknown): unknown {
  switch (node.type) {
    case 'expression':
      return evaluateField(engine, node.expression, input);
    case 'object':
      return Object.fromEntries(node.entries.map(([key, child]) => [key, evaluateNode(engine, child, input)]));
    case 'list':
      return node.items.map((child) => evaluateNode(engine, child, input));
  }
}
