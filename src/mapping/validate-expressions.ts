/**
 * Load-time checks of a resource config's JQ expressions, so a broken
 * mapping fails at startup instead of turning fields into nulls at runtime.
 */
import type { MappingConfigIssue } from './errors.js';
import type { JqEngine } from './jq-engine.js';
import { ENV_GUARD } from './jq-engine.js';
import { expressionsOf, type ExpressionNode, type ResourceTrees } from './mapping-tree.js';
import type { ResourceConfig } from './types.js';

/**
 * Compiles every expression of `resource` on its own, then each complete
 * batch program, and returns one issue per failure (an empty list when the
 * resource config is usable). Search-query identifiers are rejected.
 */
export function validateResource(
  engine: JqEngine,
  resource: ResourceConfig,
  trees: ResourceTrees,
  programs: readonly string[],
): MappingConfigIssue[] {
  const issues: MappingConfigIssue[] = [];
  const where = { kind: resource.kind, resourceIndex: resource.index };

  if (typeof resource.port.entity.mappings.identifier !== 'string') {
    issues.push({
      ...where,
      path: `resources[${resource.index}].port.entity.mappings.identifier`,
      problem: `is a search query (kind "${resource.kind}", resource ${resource.index}), but entities are written and deleted by a concrete identifier`,
      fix: 'Map identifier with a JQ expression that returns a string, for example identifier: .key.',
    });
  }

  const expressions = [trees.selector, ...(trees.itemsToParse ? [trees.itemsToParse] : []), ...expressionsOf(trees.entity)];
  for (const node of expressions) {
    const jqMessage = engine.compileError(node.expression);
    if (jqMessage !== undefined) {
      issues.push({ ...where, path: node.configPath, jqMessage, problem: compileProblem(resource, node, jqMessage), fix: compileFix(node) });
    }
  }
  if (issues.length > 0) {
    return issues;
  }

  return programs.flatMap((program) => checkProgram(engine, resource, program));
}

function compileProblem(resource: ResourceConfig, node: ExpressionNode, jqMessage: string): string {
  return `is not a valid JQ expression (kind "${resource.kind}", resource ${resource.index}, field ${node.field}): ${jqMessage}`;
}

function compileFix(node: ExpressionNode): string {
  const rewritten = node.expression === node.source ? '' : ` (read as ${JSON.stringify(node.expression)} after the single-quote rewrite)`;
  return `Correct the expression ${JSON.stringify(node.source)}${rewritten}.`;
}

/**
 * Compiles one complete batch program. Each expression already compiled
 * alone, so a failure here means an expression does not stay inside its
 * wrapper, for example because of an unbalanced parenthesis in a comment.
 */
function checkProgram(engine: JqEngine, resource: ResourceConfig, program: string): MappingConfigIssue[] {
  const jqMessage = engine.compileError(ENV_GUARD + program);
  if (jqMessage === undefined) {
    return [];
  }
  return [{
    kind: resource.kind,
    resourceIndex: resource.index,
    path: `resources[${resource.index}]`,
    jqMessage,
    problem: `has expressions that compile alone but not together in the mapping program (kind "${resource.kind}", resource ${resource.index}): ${jqMessage}`,
    fix: 'Check the expressions of this resource config for text that reaches outside the expression, such as unbalanced parentheses after a # comment.',
  }];
}
