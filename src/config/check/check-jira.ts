import { JiraAuthError } from '../../jira/errors.js';
import type { JqlParseResult } from '../../jira/types.js';
import type { PortAppConfig } from '../../mapping/types.js';
import { inspectWebhook, webhookIdOf, type AdminWebhookApi } from '../../registration/register-webhook.js';
import type { WebhookPlan } from '../../registration/webhook-plan.js';
import type { ServiceConfig } from '../service-config.js';
import type { CheckItem } from './check-report.js';

/** The Jira calls `check` makes; `JiraClient` provides them. */
export interface JiraCheckApi extends AdminWebhookApi {
  parseJql(queries: readonly string[]): Promise<JqlParseResult[]>;
}

/**
 * Reaches Jira with the configured credentials (GET /rest/api/3/mypermissions,
 * which also returns whether the account may register webhooks), then
 * validates every JQL of the mapping and `webhook.jqlFilter` with
 * POST /rest/api/3/jql/parse, then compares the registered webhook with the
 * plan. Stops after the first check when Jira cannot be reached.
 */
export async function checkJira(config: ServiceConfig, jira: JiraCheckApi, mapping: PortAppConfig | undefined, plan: WebhookPlan | undefined): Promise<CheckItem[]> {
  let admin: boolean;
  try {
    admin = await jira.hasAdminPermission();
  } catch (error) {
    return [unreachable(config, error)];
  }

  const items: CheckItem[] = [
    { area: 'jira', status: 'ok', subject: config.jira.baseUrl, message: 'reached, and the credentials were accepted' },
    adminItem(admin, plan !== undefined),
    ...(await checkJql(jira, jqlQueries(config, mapping))),
  ];
  items.push(...(plan === undefined ? [unplannedWebhook()] : await checkWebhook(jira, plan)));
  return items;
}

function unreachable(config: ServiceConfig, error: unknown): CheckItem {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof JiraAuthError) {
    const variable = config.jira.bearerToken !== undefined ? 'JIRA_BEARER_TOKEN' : 'jira.email and JIRA_API_TOKEN';
    return { area: 'jira', status: 'error', subject: config.jira.baseUrl, message: `Jira rejected the credentials: ${message}`, fix: `check ${variable}` };
  }
  return { area: 'jira', status: 'error', subject: config.jira.baseUrl, message: `Jira could not be reached: ${message}`, fix: 'check jira.baseUrl and that this host can reach it' };
}

function adminItem(admin: boolean, registers: boolean): CheckItem {
  if (admin) return { area: 'jira', status: 'ok', subject: 'Administer Jira', message: 'granted, so serve can register the webhook' };
  if (!registers) return { area: 'jira', status: 'ok', subject: 'Administer Jira', message: 'not granted, which is fine because webhook.publicUrl is not set' };
  return {
    area: 'jira',
    status: 'warning',
    subject: 'Administer Jira',
    message: 'not granted, so serve cannot register the webhook for webhook.publicUrl',
    fix: 'use an account with the Administer Jira global permission, or create the webhook by hand (docs/operations.md)',
  };
}

/** Lists every non-empty JQL to validate, with the key it is configured at. */
function jqlQueries(config: ServiceConfig, mapping: PortAppConfig | undefined): Array<{ readonly subject: string; readonly jql: string }> {
  const queries = (mapping?.resources ?? []).flatMap((resource) => {
    const jql = resource.selector['jql'];
    return typeof jql === 'string' && jql.trim() !== '' ? [{ subject: `resources[${resource.index}].selector.jql`, jql }] : [];
  });
  const filter = config.webhook.jqlFilter?.trim() ?? '';
  return filter === '' ? queries : [...queries, { subject: 'webhook.jqlFilter', jql: filter }];
}

async function checkJql(jira: JiraCheckApi, queries: ReadonlyArray<{ readonly subject: string; readonly jql: string }>): Promise<CheckItem[]> {
  if (queries.length === 0) return [];

  let results: JqlParseResult[];
  try {
    results = await jira.parseJql(queries.map((query) => query.jql));
  } catch (error) {
    return [{ area: 'jira', status: 'error', subject: 'POST /rest/api/3/jql/parse', message: `JQL validation failed: ${error instanceof Error ? error.message : String(error)}`, fix: 'run check again; if it keeps failing, validate the JQL in Jira\'s issue search' }];
  }

  return queries.map((query, index) => {
    const errors = results[index]?.errors ?? ['Jira returned no result for this query'];
    if (errors.length === 0) return { area: 'jira', status: 'ok', subject: query.subject, message: `valid JQL ${JSON.stringify(query.jql)}` };
    return { area: 'jira', status: 'error', subject: query.subject, message: `Jira rejected the JQL ${JSON.stringify(query.jql)}: ${errors.join('; ')}`, fix: 'correct the JQL, for example in Jira\'s advanced issue search, and copy it back' };
  });
}

function unplannedWebhook(): CheckItem {
  return {
    area: 'webhook',
    status: 'skipped',
    subject: 'webhook.publicUrl',
    message: 'not set, so serve registers no webhook',
    fix: 'create the webhook in Jira by hand (docs/operations.md), or set webhook.publicUrl to let serve register it',
  };
}

async function checkWebhook(jira: JiraCheckApi, plan: WebhookPlan): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  if (needsHttps(plan.url)) {
    items.push({ area: 'webhook', status: 'warning', subject: plan.url, message: 'Jira Cloud delivers webhooks only to HTTPS URLs with a public certificate', fix: 'put the service behind a TLS-terminating proxy and set webhook.publicUrl to its https URL' });
  }

  let inspection;
  try {
    inspection = await inspectWebhook(jira, plan);
  } catch (error) {
    return [...items, { area: 'webhook', status: 'error', subject: plan.url, message: `listing the Jira webhooks failed: ${error instanceof Error ? error.message : String(error)}`, fix: 'check the Jira account\'s permissions and run check again' }];
  }

  if (inspection.status === 'no-permission') {
    items.push({ area: 'webhook', status: 'skipped', subject: plan.url, message: 'cannot be looked up without the Administer Jira permission' });
  } else if (inspection.status === 'missing') {
    items.push({ area: 'webhook', status: 'ok', subject: plan.url, message: `not registered yet; serve registers it with ${plan.events.length} events${plan.secret === undefined ? ' and no secret' : ' and the secret'}` });
  } else {
    items.push(...registeredItems(inspection, plan));
  }
  return items;
}

/** True for an http URL on another host than loopback, which Jira Cloud cannot deliver to. Loopback URLs are test setups. */
function needsHttps(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  const loopback = hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  return protocol !== 'https:' && !loopback;
}

function registeredItems(inspection: Extract<Awaited<ReturnType<typeof inspectWebhook>>, { status: 'registered' }>, plan: WebhookPlan): CheckItem[] {
  const subject = `${plan.url} (webhook ${webhookIdOf(inspection.webhook) ?? 'without id'})`;
  const items: CheckItem[] = inspection.differences.map((difference) => ({ area: 'webhook', status: 'warning', subject, message: difference.problem, fix: difference.fix }));
  if (inspection.duplicates > 0) {
    items.push({ area: 'webhook', status: 'warning', subject, message: `${inspection.duplicates + 1} webhooks have this URL, so Jira sends each event more than once`, fix: 'delete all but one in Jira' });
  }
  if (items.length === 0) items.push({ area: 'webhook', status: 'ok', subject, message: 'registered and matches the configuration' });
  return items;
}
