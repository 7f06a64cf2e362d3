import { EntityMapper } from '../mapping/entity-mapper.js';
import { loadPortAppConfig } from '../mapping/load.js';
import { DEFAULT_MAPPING_PATH } from '../mapping/default-mapping.js';
import type { Entity, PortAppConfig } from '../mapping/types.js';
import type { JiraSimulator } from './jira/index.js';
import type { PortSimulator } from './port/index.js';

/**
 * The convergence oracle of tests and benchmarks: after the pipeline has
 * settled, Port's issue entities must equal the mapping applied to Jira's
 * current state.
 */

/** An entity reduced to what the mapping controls, for comparisons. */
export interface ComparableEntity {
  readonly identifier: string;
  readonly title: unknown;
  readonly properties: Record<string, unknown>;
  readonly relations: Record<string, unknown>;
}

export interface ExpectedIssuesOptions {
  /**
   * Only the issues with these Jira ids. A run that sent deliveries for some
   * issues only cannot have written the others to Port.
   */
  readonly issueIds?: ReadonlySet<string>;
}

/**
 * Returns the jiraIssue entities Port should hold: the mapping applied to
 * every issue that Jira's current state has under the issue resource's JQL,
 * sorted by identifier.
 */
export async function expectedIssues(
  jira: JiraSimulator,
  mappingPath: string = DEFAULT_MAPPING_PATH,
  options: ExpectedIssuesOptions = {},
): Promise<ComparableEntity[]> {
  const config: PortAppConfig = loadPortAppConfig({ path: mappingPath });
  const mapper = await EntityMapper.create(config);
  const resource = config.resources.find((candidate) => candidate.kind === 'issue');
  if (!resource) throw new Error(`the mapping at ${mappingPath} has no issue resource; add one with kind: issue`);

  const jql = typeof resource.selector['jql'] === 'string' ? resource.selector['jql'] : '';
  const issues = jira.state.searchAll(jql).filter((issue) => options.issueIds === undefined || options.issueIds.has(issue.id));
  return mapper
    .map(resource, issues)
    .flat()
    .filter((mapped) => mapped.passedSelector && mapped.entity !== null)
    .map((mapped) => comparable(mapped.entity as Entity))
    .sort(byIdentifier);
}

/** Returns Port's jiraIssue entities, reduced and sorted like `expectedIssues`. */
export function actualIssues(port: PortSimulator): ComparableEntity[] {
  return port.state.entities('jiraIssue').map(comparable).sort(byIdentifier);
}

/** How Port's entities differ from the expected ones; each list holds identifiers. */
export interface ConvergenceReport {
  readonly converged: boolean;
  readonly expected: number;
  readonly actual: number;
  /** Expected but absent from Port. */
  readonly missing: readonly string[];
  /** In Port but not expected (such as an issue Jira deleted). */
  readonly unexpected: readonly string[];
  /** In both, with other title, properties or relations. */
  readonly different: readonly string[];
}

/** Compares the expected entities with Port's, by identifier and content. */
export function compareEntities(expected: readonly ComparableEntity[], actual: readonly ComparableEntity[]): ConvergenceReport {
  const actualById = new Map(actual.map((entity) => [entity.identifier, entity]));
  const expectedIds = new Set(expected.map((entity) => entity.identifier));

  const missing = expected.filter((entity) => !actualById.has(entity.identifier)).map((entity) => entity.identifier);
  const unexpected = actual.filter((entity) => !expectedIds.has(entity.identifier)).map((entity) => entity.identifier);
  const different = expected
    .filter((entity) => actualById.has(entity.identifier) && !sameContent(entity, actualById.get(entity.identifier) as ComparableEntity))
    .map((entity) => entity.identifier);

  return {
    converged: missing.length === 0 && unexpected.length === 0 && different.length === 0,
    expected: expected.length,
    actual: actual.length,
    missing,
    unexpected,
    different,
  };
}

function sameContent(left: ComparableEntity, right: ComparableEntity): boolean {
  return JSON.stringify(sortedJson(left)) === JSON.stringify(sortedJson(right));
}

/** A copy with object keys sorted, so that key order does not count as a difference. */
function sortedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([left], [right]) => left.localeCompare(right));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortedJson(item)]));
}

function comparable(entity: Entity): ComparableEntity {
  return {
    identifier: entity.identifier,
    title: entity.title ?? null,
    properties: { ...entity.properties },
    relations: { ...entity.relations },
  };
}

function byIdentifier(left: ComparableEntity, right: ComparableEntity): number {
  return left.identifier.localeCompare(right.identifier);
}
