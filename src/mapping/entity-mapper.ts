/**
 * The mapping stage's engine: turns raw Jira objects into Port entities
 * with the JQ expressions of a Port app config.
 */
import { createLogger, type Logger } from '../core/logger.js';
import { evaluateBatch } from './batch-evaluation.js';
import { errorText, readFieldResult, readRow } from './entity-row.js';
import { MappingConfigError, UnknownResourceError } from './errors.js';
import { evaluateRowByField } from './field-evaluation.js';
import { expandItem, leadingPath, withoutPath, type PathSegment } from './items-to-parse.js';
import { JqEngine } from './jq-engine.js';
import { entityProgram, itemsProgram } from './jq-program.js';
import { resourceTrees, type ResourceTrees } from './mapping-tree.js';
import type { MappedEntity, PortAppConfig, ResourceConfig } from './types.js';
import { validateResource } from './validate-expressions.js';
import { WarningLimiter } from './warning-limiter.js';

export interface EntityMapperOptions {
  /** Let expressions read the process environment through `env` and `$ENV`. Default false, unlike Ocean. */
  readonly allowEnv?: boolean;
  /** Logger for field errors and batch fallbacks. Default: a new JSON logger on stdout. */
  readonly logger?: Logger;
  /** Engine to run on, for example to count its runs. Its own `allowEnv` applies. */
  readonly engine?: JqEngine;
}

/** Everything prepared for one resource config at load time. */
interface ResourcePlan {
  readonly resource: ResourceConfig;
  readonly trees: ResourceTrees;
  readonly entityProgram: string;
  readonly itemsProgram?: string;
  /** Path removed from the parent before elements are merged into it (`itemsToParseTopLevelTransform`). */
  readonly parsedArrayPath?: readonly PathSegment[];
}

/**
 * Maps raw items to entities. `create` compiles every expression once and
 * rejects a broken mapping with a `MappingConfigError`. After that, `map`
 * is synchronous and runs one jq program per call, whatever the number of
 * items, following Ocean's rules: each field takes the first output of its
 * expression, and an error or no output gives null. The selector must
 * return a boolean. An entity is made only when identifier and blueprint
 * are truthy.
 */
export class EntityMapper {
  private readonly warnings: WarningLimiter;

  private constructor(
    readonly config: PortAppConfig,
    private readonly engine: JqEngine,
    private readonly plans: readonly ResourcePlan[],
    logger: Logger,
  ) {
    this.warnings = new WarningLimiter(logger);
  }

  /** Loads the JQ engine, validates every expression of every resource config and prepares the programs. */
  static async create(config: PortAppConfig, options: EntityMapperOptions = {}): Promise<EntityMapper> {
    if (options.engine !== undefined && options.allowEnv !== undefined && options.allowEnv !== options.engine.allowEnv) {
      throw new Error(`allowEnv is ${options.allowEnv} but the given engine has allowEnv ${options.engine.allowEnv}. Set it on the engine only.`);
    }
    const engine = options.engine ?? (await JqEngine.load({ allowEnv: options.allowEnv ?? false }));
    const plans = config.resources.map((resource) => planResource(resource));

    const issues = plans.flatMap((plan) => validateResource(engine, plan.resource, plan.trees, programsOf(plan)));
    if (issues.length > 0) {
      throw new MappingConfigError(issues);
    }
    const logger = (options.logger ?? createLogger()).child({ component: 'entity-mapper' });
    return new EntityMapper(config, engine, plans, logger);
  }

  /** The resource configs this mapper serves, in config order (`index` is the position). */
  get resources(): readonly ResourceConfig[] {
    return this.config.resources;
  }

  /**
   * Maps `items` with `resource` (one of `resources`). `result[i]` contains the
   * entities made from `items[i]`: one, or one per element with
   * `itemsToParse` (none when it returned no list).
   */
  map(resource: ResourceConfig, items: readonly unknown[]): MappedEntity[][] {
    const plan = this.planFor(resource);
    if (plan.itemsProgram === undefined) {
      return this.mapRows(plan, items).map((mapped) => [mapped]);
    }

    const groups = this.expandItems(plan, plan.itemsProgram, items);
    const mapped = this.mapRows(plan, groups.flat());
    let next = 0;
    return groups.map((group) => mapped.slice(next, (next += group.length)));
  }

  private planFor(resource: ResourceConfig): ResourcePlan {
    const plan = this.plans[resource.index];
    if (plan === undefined || plan.resource.kind !== resource.kind) {
      throw new UnknownResourceError(resource.kind, resource.index);
    }
    return plan;
  }

  /** Runs the entity program over `inputs` and reads each row, logging field errors. */
  private mapRows(plan: ResourcePlan, inputs: readonly unknown[]): MappedEntity[] {
    const rows = evaluateBatch(this.engine, plan.entityProgram, inputs, {
      onBatchFailure: (error, itemCount) => this.warnBatchFailure(plan, error, itemCount),
      lastResort: (input, error) => {
        this.warn(plan, 'item', { error: error.jqMessage }, 'Mapping program failed on an item, so each of its fields is evaluated alone');
        return evaluateRowByField(this.engine, plan.trees, input);
      },
    });

    const mapped = rows.map((row) => readRow(plan.trees, row));
    for (const entry of mapped) {
      this.warnMisconfigured(plan, entry);
    }
    return mapped;
  }

  /** Evaluates `itemsToParse` for every item and returns each item's expanded elements. */
  private expandItems(plan: ResourcePlan, program: string, items: readonly unknown[]): unknown[][] {
    const results = evaluateBatch(this.engine, program, items, {
      onBatchFailure: (error, itemCount) => this.warnBatchFailure(plan, error, itemCount),
      lastResort: (_input, error) => ({ e: error.jqMessage }),
    });

    return results.map((wrapped, index) => {
      const result = readFieldResult(wrapped);
      if (!Array.isArray(result.value)) {
        const problem = result.error ?? `returned ${result.value === null ? 'null' : typeof result.value}, not a list`;
        this.warn(plan, 'itemsToParse', { error: problem }, 'itemsToParse did not return a list, so the item yields no entities');
        return [];
      }
      const parent = plan.parsedArrayPath === undefined ? items[index] : withoutPath(items[index], plan.parsedArrayPath);
      return expandItem(parent, result.value, plan.resource.port.itemsToParseName);
    });
  }

  private warnMisconfigured(plan: ResourcePlan, mapped: MappedEntity): void {
    if (mapped.selectorError !== undefined) {
      this.warn(plan, 'selector.query', { error: mapped.selectorError }, 'Selector failed or did not return a boolean, so the item yields no entity');
    }
    for (const { field, error } of mapped.misconfigured) {
      if (error !== undefined) {
        this.warn(plan, field, { error }, 'JQ expression failed, so the field is null');
      }
    }
  }

  private warnBatchFailure(plan: ResourcePlan, error: Error, itemCount: number): void {
    const message = 'jqMessage' in error ? String(error.jqMessage) : error.message;
    this.warn(plan, 'batch', { error: errorText(message), itemCount }, 'Mapping program failed on a batch, so each item is evaluated alone');
  }

  private warn(plan: ResourcePlan, field: string, fields: Record<string, unknown>, message: string): void {
    const { kind, index } = plan.resource;
    this.warnings.warn(`${index}:${field}`, { kind, resourceIndex: index, field, ...fields }, message);
  }
}

function planResource(resource: ResourceConfig): ResourcePlan {
  const trees = resourceTrees(resource);
  const plan = { resource, trees, entityProgram: entityProgram(trees) };
  if (trees.itemsToParse === undefined) {
    return plan;
  }

  const parsedArrayPath = resource.port.itemsToParseTopLevelTransform ? leadingPath(trees.itemsToParse.expression) : undefined;
  return { ...plan, itemsProgram: itemsProgram(trees.itemsToParse), ...(parsedArrayPath ? { parsedArrayPath } : {}) };
}

function programsOf(plan: ResourcePlan): string[] {
  return plan.itemsProgram === undefined ? [plan.entityProgram] : [plan.entityProgram, plan.itemsProgram];
}
