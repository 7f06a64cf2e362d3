import type { AdminWebhook } from '../jira/types.js';
import { ISSUE_EVENTS_FILTER, type WebhookPlan } from './webhook-plan.js';

/** One way a registered webhook differs from the plan, with what to change in Jira. */
export interface WebhookDifference {
  readonly field: 'events' | 'jqlFilter' | 'enabled' | 'secret';
  readonly problem: string;
  readonly fix: string;
}

/**
 * Compares a registered webhook with the plan. The secret itself cannot be
 * compared, because Jira never returns it: only whether one is set
 * (`isSigned`). The service never edits a registered webhook, so that an
 * admin's changes in Jira stay; each difference names the fix instead.
 */
export function differencesOf(existing: AdminWebhook, plan: WebhookPlan): WebhookDifference[] {
  return [
    ...eventDifferences(existing.events ?? [], plan.events),
    ...filterDifferences(filterOf(existing), plan.jqlFilter),
    ...(existing.enabled === false ? [{ field: 'enabled' as const, problem: 'the webhook is disabled, so Jira sends nothing', fix: 'enable it in Jira (Settings, System, WebHooks)' }] : []),
    ...signatureDifferences(existing['isSigned'], plan.secret !== undefined),
  ];
}

function eventDifferences(registered: readonly string[], planned: readonly string[]): WebhookDifference[] {
  const missing = planned.filter((event) => !registered.includes(event));
  const extra = registered.filter((event) => !planned.includes(event));
  const differences: WebhookDifference[] = [];
  if (missing.length > 0) {
    differences.push({ field: 'events', problem: `events the mapping needs are not subscribed: ${missing.join(', ')}`, fix: 'add these events to the webhook in Jira' });
  }
  if (extra.length > 0) {
    differences.push({ field: 'events', problem: `events no configured kind needs are subscribed: ${extra.join(', ')}`, fix: 'remove them from the webhook in Jira, or leave them: such deliveries end as ignored' });
  }
  return differences;
}

function filterDifferences(registered: string | undefined, planned: string | undefined): WebhookDifference[] {
  if ((registered ?? '') === (planned ?? '')) return [];
  const describe = (jql: string | undefined): string => (jql === undefined || jql === '' ? 'none' : JSON.stringify(jql));
  return [{
    field: 'jqlFilter',
    problem: `the JQL filter is ${describe(registered)}, the configuration asks for ${describe(planned)}`,
    fix: 'make the webhook\'s JQL filter in Jira match webhook.jqlFilter, or change webhook.jqlFilter',
  }];
}

function signatureDifferences(isSigned: unknown, wantsSecret: boolean): WebhookDifference[] {
  if (isSigned === false && wantsSecret) {
    return [{ field: 'secret', problem: 'the webhook has no secret, so its deliveries fail the signature check (401)', fix: 'set the secret from WEBHOOK_SECRET on the webhook in Jira' }];
  }
  if (isSigned === true && !wantsSecret) {
    return [{ field: 'secret', problem: 'the webhook has a secret but WEBHOOK_SECRET is not set, so signatures are not checked', fix: 'set WEBHOOK_SECRET to the webhook\'s secret' }];
  }
  return [];
}

function filterOf(webhook: AdminWebhook): string | undefined {
  const filters = webhook['filters'];
  if (typeof filters !== 'object' || filters === null) return undefined;
  const jql = (filters as Record<string, unknown>)[ISSUE_EVENTS_FILTER];
  return typeof jql === 'string' && jql.trim() !== '' ? jql.trim() : undefined;
}
