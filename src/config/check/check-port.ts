import type { PortAppConfig } from '../../mapping/types.js';
import type { PortProbe } from '../../service/port-probe.js';
import type { ServiceConfig } from '../service-config.js';
import { constantBlueprints } from './check-mapping.js';
import type { CheckItem } from './check-report.js';

/**
 * Requests a Port access token with the configured client credentials, then
 * looks up each blueprint the mapping writes to. A mapping whose blueprint
 * expression reads the item cannot be checked here and is reported as
 * skipped.
 */
export async function checkPort(config: ServiceConfig, probe: PortProbe, mapping: PortAppConfig | undefined): Promise<CheckItem[]> {
  let token: string;
  try {
    token = await probe.accessToken();
  } catch (error) {
    const status = (error as { status?: number }).status;
    const fix = status === undefined ? 'check port.baseUrl and that this host can reach it' : 'check port.clientId and PORT_CLIENT_SECRET';
    return [{ area: 'port', status: 'error', subject: config.port.baseUrl, message: `no access token: ${error instanceof Error ? error.message : String(error)}`, fix }];
  }

  const items: CheckItem[] = [{ area: 'port', status: 'ok', subject: config.port.baseUrl, message: `reached, and an access token was issued for client id ${config.port.clientId}` }];
  if (mapping === undefined) return items;

  const blueprints = await constantBlueprints(mapping);
  for (const [blueprint, indexes] of blueprints) items.push(await blueprintItem(probe, token, blueprint, indexes));
  const unchecked = mapping.resources.filter((resource) => ![...blueprints.values()].some((indexes) => indexes.includes(resource.index)));
  for (const resource of unchecked) {
    items.push({ area: 'port', status: 'skipped', subject: `resources[${resource.index}].port.entity.mappings.blueprint`, message: 'the blueprint depends on the item, so it is not looked up' });
  }
  return items;
}

async function blueprintItem(probe: PortProbe, token: string, blueprint: string, indexes: readonly number[]): Promise<CheckItem> {
  const subject = `blueprint ${blueprint}`;
  const users = indexes.map((index) => `resources[${index}]`).join(', ');
  try {
    if (await probe.blueprintExists(token, blueprint)) return { area: 'port', status: 'ok', subject, message: `exists (used by ${users})` };
    return { area: 'port', status: 'error', subject, message: `does not exist in Port, so upserts from ${users} fail`, fix: 'create the blueprint in Port, for example by importing config/blueprints.json' };
  } catch (error) {
    return { area: 'port', status: 'error', subject, message: `lookup failed: ${error instanceof Error ? error.message : String(error)}`, fix: 'run check again; if it keeps failing, check the blueprint in Port' };
  }
}
