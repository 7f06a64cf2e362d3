import { EntityMapper } from '../../src/mapping/entity-mapper.js';
import { loadPortAppConfig } from '../../src/mapping/load.js';
import { DEFAULT_MAPPING_PATH } from '../../src/mapping/default-mapping.js';
import type { Entity, PortAppConfig } from '../../src/mapping/types.js';
import type { JiraSimulator } from '../../src/simulators/jira/index.js';
import type { PortSimulator } from '../../src/simulators/port/index.js';

/** An entity reduced to what the mapping controls, for comparisons. */
export interface ComparableEntity {
  readonly identifier: string;
  readonly title: unknown;
  readonly properties: Record<string, unknown>;
  readonly relations: Record<string, unknown>;
}

/**
 * The jiraIssue entities Port should hold: the mapping applied to every
 * issue that Jira's current state has under the issue resource's JQL.
 */
export async function expectedIssues(jira: JiraSimulator, mappingPath: string = DEFAULT_MAPPING_PATH): Promise<ComparableEntity[]> {
  const config: PortAppConfig = loadPortAppConfig({ path: mappingPath });
  const mapper = await EntityMapper.create(config);
  const resource = config.resources.find((candidate) => candidate.kind === 'issue');
  if (!resource) throw new Error('the mapping has no issue resource');

  const jql = typeof resource.selector['jql'] === 'string' ? resource.selector['jql'] : '';
  const issues = jira.state.searchAll(jql);
  return mapper
    .map(resource, issues)
    .flat()
    .filter((mapped) => mapped.passedSelector && mapped.entity !== null)
    .map((mapped) => comparable(mapped.entity as Entity))
    .sort(byIdentifier);
}

/** Port's jiraIssue entities, reduced the same way. */
export function actualIssues(port: PortSimulator): ComparableEntity[] {
  return port.state.entities('jiraIssue').map(comparable).sort(byIdentifier);
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
