import type { ServiceConfig } from '../config/service-config.js';
import { webhookEventsFor } from './events.js';

/** The path of the ingress, which Ocean also serves, so a webhook can move between the two unchanged. */
export const INGRESS_PATH = '/integration/webhook';

/** The filter key Jira uses for the JQL that limits issue-related events of an admin webhook. */
export const ISSUE_EVENTS_FILTER = 'issue-related-events-section';

/** The admin webhook that the configuration requests. */
export interface WebhookPlan {
  readonly name: string;
  /** The URL Jira posts to: the public URL with the ingress path. */
  readonly url: string;
  readonly events: readonly string[];
  /** JQL for issue-related events; undefined means every issue. */
  readonly jqlFilter?: string;
  /** Secret Jira signs deliveries with; undefined registers an unsigned webhook. */
  readonly secret?: string;
}

/**
 * Returns the webhook URL for a public base URL: `<publicUrl>/integration/webhook`.
 * A public URL that already ends with that path is used as it is.
 */
export function webhookUrlOf(publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return base.endsWith(INGRESS_PATH) ? base : `${base}${INGRESS_PATH}`;
}

/** Plans the webhook to register for `config` and the mapping's kinds. Returns undefined when `webhook.publicUrl` is not set. */
export function planWebhook(config: ServiceConfig, kinds: Iterable<string>): WebhookPlan | undefined {
  const { publicUrl, name, jqlFilter, secret } = config.webhook;
  if (publicUrl === undefined) return undefined;

  return {
    name: name ?? 'jira-port-stream',
    url: webhookUrlOf(publicUrl),
    events: webhookEventsFor(kinds),
    jqlFilter: jqlFilter === undefined || jqlFilter.trim() === '' ? undefined : jqlFilter.trim(),
    secret,
  };
}

/** Returns whether two webhook URLs name the same endpoint, after URL normalization and without trailing slashes. */
export function sameWebhookUrl(a: string, b: string): boolean {
  const normalize = (url: string): string => (URL.canParse(url) ? new URL(url).href : url).replace(/\/+$/, '');
  return normalize(a) === normalize(b);
}
