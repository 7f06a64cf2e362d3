import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { silentLogger } from '../../core/logger.js';
import { JiraClient } from '../../jira/client.js';
import { DEFAULT_MAPPING_PATH } from '../../mapping/default-mapping.js';
import { planWebhook } from '../../registration/webhook-plan.js';
import { jiraAuthOf } from '../../service/operability.js';
import { PortProbe } from '../../service/port-probe.js';
import { ConfigError } from '../errors.js';
import { loadServiceConfig, SECRET_ENV, type ServiceConfig } from '../service-config.js';
import { checkJira } from './check-jira.js';
import { checkMapping } from './check-mapping.js';
import { checkPort } from './check-port.js';
import { reportOf, type CheckItem, type CheckReport } from './check-report.js';

/** Timeout of each Jira and Port call of `check`, in ms. */
const CALL_TIMEOUT_MS = 10_000;

/**
 * Checks a configuration file end to end: decodes it with the environment,
 * loads the mapping and compiles its JQ, reaches Jira (credentials, JQL,
 * webhook) and Port (token, blueprints), and looks at the event log's
 * folder. Problems become report items; only bugs throw.
 */
export async function runCheck(configPath: string, env: NodeJS.ProcessEnv = process.env): Promise<CheckReport> {
  let config: ServiceConfig;
  try {
    config = loadServiceConfig(configPath, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const items = error.problems.map((problem): CheckItem => ({ area: 'configuration', status: 'error', subject: problem.key, message: problem.problem, fix: problem.fix }));
    return reportOf(configPath, [...items, { area: 'configuration', status: 'skipped', subject: '', message: 'Jira, Port and the mapping are checked once the configuration decodes' }]);
  }

  const mappingPath = config.mapping ?? DEFAULT_MAPPING_PATH;
  const { items: mappingItems, mapping } = await checkMapping(mappingPath);
  const kinds = mapping?.resources.map((resource) => resource.kind) ?? [];
  const plan = planWebhook(config, kinds);
  const jira = new JiraClient({ baseUrl: config.jira.baseUrl, auth: jiraAuthOf(config.jira), retry: { limit: 1 }, timeoutMs: CALL_TIMEOUT_MS, logger: silentLogger() });
  const port = new PortProbe({ ...config.port, timeoutMs: CALL_TIMEOUT_MS });

  const [jiraItems, portItems] = await Promise.all([checkJira(config, jira, mapping, plan), checkPort(config, port, mapping)]);
  return reportOf(configPath, [configurationItem(config, env), ...mappingItems, ...jiraItems, ...portItems, eventLogItem(config.eventLog.path)]);
}

function configurationItem(config: ServiceConfig, env: NodeJS.ProcessEnv): CheckItem {
  const fromEnv = Object.values(SECRET_ENV).filter((name) => env[name] !== undefined && env[name] !== '');
  const unsigned = config.webhook.secret === undefined ? '; webhook signatures are NOT checked (webhook.allowUnsigned)' : '';
  return { area: 'configuration', status: config.webhook.secret === undefined ? 'warning' : 'ok', subject: '', message: `decoded, with secrets from ${fromEnv.join(', ') || 'no environment variable'}${unsigned}` };
}

/** The SQLite file is created on start, with its folders, so the nearest existing folder must be writable. */
function eventLogItem(path: string): CheckItem {
  if (path === ':memory:') {
    return { area: 'event log', status: 'warning', subject: path, message: 'in memory, so accepted deliveries are lost on a restart', fix: 'set eventLog.path to a file on a persistent volume' };
  }

  let folder = dirname(resolve(path));
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  try {
    accessSync(folder, constants.W_OK);
    return { area: 'event log', status: 'ok', subject: path, message: existsSync(path) ? 'exists, and its folder is writable' : `created on start, and ${folder} is writable` };
  } catch {
    return { area: 'event log', status: 'error', subject: path, message: `${folder} is not writable`, fix: 'give the service user write access to that folder, or set eventLog.path elsewhere' };
  }
}
