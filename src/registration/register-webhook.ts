import type { Logger } from '../core/logger.js';
import { JiraAuthError } from '../jira/errors.js';
import type { AdminWebhook, AdminWebhookInput } from '../jira/types.js';
import { differencesOf, type WebhookDifference } from './differences.js';
import { ISSUE_EVENTS_FILTER, sameWebhookUrl, type WebhookPlan } from './webhook-plan.js';

/** The Jira calls that registration makes; `JiraClient` provides them. */
export interface AdminWebhookApi {
  hasAdminPermission(): Promise<boolean>;
  listAdminWebhooks(): Promise<AdminWebhook[]>;
  createAdminWebhook(body: AdminWebhookInput): Promise<AdminWebhook>;
}

/** The state of the planned URL's webhook in Jira, before anything is changed. */
export type WebhookInspection =
  | { readonly status: 'no-permission' }
  | { readonly status: 'missing' }
  | {
    readonly status: 'registered';
    readonly webhook: AdminWebhook;
    /** Other webhooks with the same URL; each one makes Jira send every event once more. */
    readonly duplicates: number;
    readonly differences: readonly WebhookDifference[];
  };

/** The result of `registerWebhook`. */
export type RegistrationOutcome =
  | WebhookInspection
  | { readonly status: 'created'; readonly webhook: AdminWebhook }
  | { readonly status: 'failed'; readonly error: string };

/**
 * Looks up the admin webhook for the plan's URL. Returns `no-permission`
 * when the credentials lack Administer Jira, which listing webhooks needs.
 * Throws the client's errors (JiraRequestError) for any other failure.
 */
export async function inspectWebhook(jira: AdminWebhookApi, plan: WebhookPlan): Promise<WebhookInspection> {
  if (!(await jira.hasAdminPermission())) return { status: 'no-permission' };

  let webhooks: AdminWebhook[];
  try {
    webhooks = await jira.listAdminWebhooks();
  } catch (error) {
    if (error instanceof JiraAuthError && error.status === 403) return { status: 'no-permission' };
    throw error;
  }

  const matching = webhooks.filter((webhook) => sameWebhookUrl(webhook.url, plan.url));
  const [webhook] = matching;
  if (webhook === undefined) return { status: 'missing' };
  return { status: 'registered', webhook, duplicates: matching.length - 1, differences: differencesOf(webhook, plan) };
}

/**
 * Makes sure Jira has an admin webhook for the plan's URL. Creates it (with
 * the plan's events, JQL filter and secret) when no webhook has that URL;
 * otherwise leaves the registered one as it is and logs a warning for each
 * difference, so a restart never adds a duplicate. Never throws: missing
 * permission and failures are logged and returned, and the service keeps
 * running without registration.
 */
export async function registerWebhook(jira: AdminWebhookApi, plan: WebhookPlan, logger: Logger): Promise<RegistrationOutcome> {
  const fields = { url: plan.url, name: plan.name, eventCount: plan.events.length, signed: plan.secret !== undefined };
  try {
    const inspection = await inspectWebhook(jira, plan);
    // NOTE: listing and creating are two calls, so two services that start at the same moment can both create the webhook.
    if (inspection.status === 'missing') {
      const webhook = await jira.createAdminWebhook(registrationBody(plan));
      logger.info({ ...fields, webhookId: webhookIdOf(webhook), events: plan.events }, 'Jira webhook registered');
      return { status: 'created', webhook };
    }

    logInspection(inspection, fields, logger);
    return inspection;
  } catch (error) {
    const outcome = { status: 'failed' as const, error: error instanceof Error ? error.message : String(error) };
    logger.error({ ...fields, err: error }, 'Jira webhook registration failed; the service runs on, but Jira may send no deliveries until the webhook exists');
    return outcome;
  }
}

function logInspection(inspection: Exclude<WebhookInspection, { status: 'missing' }>, fields: Record<string, unknown>, logger: Logger): void {
  if (inspection.status === 'no-permission') {
    logger.warn(fields, 'Jira webhook not registered: the Jira account lacks the Administer Jira global permission; create the webhook by hand (docs/operations.md) or use an admin account');
    return;
  }

  const webhookId = webhookIdOf(inspection.webhook);
  if (inspection.duplicates > 0) {
    logger.warn({ ...fields, webhookId, duplicates: inspection.duplicates }, 'several Jira webhooks have this URL, so Jira sends each event more than once; delete all but one in Jira');
  }
  for (const difference of inspection.differences) {
    logger.warn({ ...fields, webhookId, field: difference.field, problem: difference.problem, fix: difference.fix }, 'registered Jira webhook differs from the configuration');
  }
  if (inspection.differences.length === 0) logger.info({ ...fields, webhookId }, 'Jira webhook already registered');
}

function registrationBody(plan: WebhookPlan): AdminWebhookInput {
  return {
    name: plan.name,
    url: plan.url,
    events: plan.events,
    excludeBody: false,
    ...(plan.jqlFilter !== undefined ? { filters: { [ISSUE_EVENTS_FILTER]: plan.jqlFilter } } : {}),
    ...(plan.secret !== undefined ? { secret: plan.secret } : {}),
  };
}

/** The webhook id: the last path segment of `self`, which Jira returns with every webhook. */
export function webhookIdOf(webhook: AdminWebhook): string | undefined {
  return webhook.self?.split('/').filter((segment) => segment !== '').pop();
}
