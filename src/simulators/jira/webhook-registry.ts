import * as t from 'io-ts';
import { decodeOrThrow } from './decode.js';
import { NotFoundError } from './errors.js';
import { assertLoopbackUrl } from './loopback.js';

/** Body of `POST` and `PUT /rest/webhooks/1.0/webhook[/{id}]`. */
const WebhookRegistration = t.intersection([
  t.type({ name: t.string, url: t.string, events: t.array(t.string) }),
  t.partial({
    filters: t.record(t.string, t.string),
    excludeBody: t.boolean,
    secret: t.string,
    enabled: t.boolean,
  }),
]);

/** The filter key Jira uses for the JQL that limits issue-related events. */
export const ISSUE_EVENTS_FILTER = 'issue-related-events-section';

export interface RegisteredWebhook {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly filters: Readonly<Record<string, string>>;
  readonly excludeBody: boolean;
  readonly secret?: string;
  readonly enabled: boolean;
  readonly lastUpdated: number;
}

/** Admin webhooks registered through the REST API. Each one receives the events it lists. */
export class WebhookRegistry {
  private readonly webhooks = new Map<number, RegisteredWebhook>();
  private nextId = 1;

  /** Validates and stores a registration. The URL must be on the loopback interface. */
  register(body: unknown): RegisteredWebhook {
    const webhook = this.decode(this.nextId, body);
    this.nextId += 1;
    this.webhooks.set(webhook.id, webhook);
    return webhook;
  }

  update(id: number, body: unknown): RegisteredWebhook {
    this.get(id);
    const webhook = this.decode(id, body);
    this.webhooks.set(id, webhook);
    return webhook;
  }

  remove(id: number): void {
    this.get(id);
    this.webhooks.delete(id);
  }

  get(id: number): RegisteredWebhook {
    const webhook = this.webhooks.get(id);
    if (webhook === undefined) {
      throw new NotFoundError('webhook', String(id), `Webhook ${id} does not exist.`);
    }
    return webhook;
  }

  list(): RegisteredWebhook[] {
    return [...this.webhooks.values()];
  }

  /** Returns the enabled webhooks that subscribe to `event`. */
  subscribers(event: string): RegisteredWebhook[] {
    return this.list().filter((webhook) => webhook.enabled && webhook.events.includes(event));
  }

  clear(): void {
    this.webhooks.clear();
    this.nextId = 1;
  }

  private decode(id: number, body: unknown): RegisteredWebhook {
    const registration = decodeOrThrow(WebhookRegistration, body, 'webhook registration');
    assertLoopbackUrl(registration.url, 'webhook url');
    return {
      id,
      name: registration.name,
      url: registration.url,
      events: registration.events,
      filters: registration.filters ?? {},
      excludeBody: registration.excludeBody ?? false,
      ...(registration.secret === undefined ? {} : { secret: registration.secret }),
      enabled: registration.enabled ?? true,
      lastUpdated: Date.now(),
    };
  }
}

/** Builds the registration as `GET /rest/webhooks/1.0/webhook` returns it. The secret itself is never returned. */
export function renderRegisteredWebhook(baseUrl: string, webhook: RegisteredWebhook): Record<string, unknown> {
  return {
    self: `${baseUrl}/rest/webhooks/1.0/webhook/${webhook.id}`,
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    filters: webhook.filters,
    excludeBody: webhook.excludeBody,
    enabled: webhook.enabled,
    isSigned: webhook.secret !== undefined && webhook.secret !== '',
    lastUpdated: webhook.lastUpdated,
  };
}

/** Replaces the URL variables Jira supports for admin webhooks, such as `${issue.id}` and `${project.key}`. */
export function expandUrlVariables(url: string, variables: Readonly<Record<string, string>>): string {
  return url.replace(/\$\{([a-zA-Z.]+)\}/g, (match, name: string) => {
    const value = variables[name];
    return value === undefined ? match : encodeURIComponent(value);
  });
}
