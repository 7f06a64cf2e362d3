import { EntityMapper } from '../../mapping/entity-mapper.js';
import { MappingConfigError } from '../../mapping/errors.js';
import { JqEngine, rewriteSingleQuotes } from '../../mapping/jq-engine.js';
import { loadPortAppConfig } from '../../mapping/load.js';
import type { PortAppConfig } from '../../mapping/types.js';
import { silentLogger } from '../../core/logger.js';
import type { CheckItem } from './check-report.js';

const AREA = 'mapping';

/**
 * Loads the mapping and compiles every JQ expression of every resource
 * config, as the service does at start. Returns the decoded mapping when it
 * loads, so later checks can read its JQL and blueprints.
 */
export async function checkMapping(path: string): Promise<{ readonly items: CheckItem[]; readonly mapping?: PortAppConfig }> {
  let mapping: PortAppConfig;
  try {
    mapping = loadPortAppConfig({ path });
    await EntityMapper.create(mapping, { logger: silentLogger() });
  } catch (error) {
    if (!(error instanceof MappingConfigError)) throw error;
    const items = error.issues.map((issue) => ({ area: AREA, status: 'error' as const, subject: issue.path, message: issue.problem, fix: withoutFinalPeriod(issue.fix) }));
    return { items };
  }

  const kinds = mapping.resources.map((resource) => resource.kind).join(', ');
  return {
    mapping,
    items: [{ area: AREA, status: 'ok', subject: path, message: `${mapping.resources.length} resource configs (${kinds}), every JQ expression compiles` }],
  };
}

/**
 * Evaluates each resource config's blueprint expression on null and maps
 * each constant result, such as `"jiraIssue"`, to the resource indexes that
 * use it. An expression that reads the item gives no blueprint here and is
 * left out.
 */
export async function constantBlueprints(mapping: PortAppConfig): Promise<Map<string, number[]>> {
  const engine = await JqEngine.load();
  const blueprints = new Map<string, number[]>();
  for (const resource of mapping.resources) {
    let output: unknown;
    try {
      output = engine.run(null, rewriteSingleQuotes(resource.port.entity.mappings.blueprint))[0];
    } catch {
      continue;
    }
    if (typeof output === 'string' && output !== '') blueprints.set(output, [...(blueprints.get(output) ?? []), resource.index]);
  }
  return blueprints;
}

function withoutFinalPeriod(text: string): string {
  return text.replace(/\.\s*$/, '');
}
