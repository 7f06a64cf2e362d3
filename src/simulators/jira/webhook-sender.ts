import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import ky from 'ky';
import type { Logger } from '../../core/logger.js';
import { signBody } from '../../ingress/signature.js';

/** Destination of one delivery. `excludeBody` sends the POST without a body, as Jira's "Exclude body" option does. */
export interface WebhookTarget {
  readonly url: string;
  readonly secret?: string;
  readonly excludeBody?: boolean;
}

export interface WebhookAttempt {
  /** 0 for the first try, then the `X-Atlassian-Webhook-Retry` value. */
  readonly retry: number;
  readonly at: number;
  readonly status?: number;
  /** Reason the attempt got no response, such as a refused connection or a timeout. */
  readonly error?: string;
}

/**
 * One delivery and its attempts. Outcomes: `delivered` (a 2xx), `rejected`
 * (a status Jira does not retry, such as 400), `failed` (retries
 * exhausted), `cancelled` (the simulator closed first).
 */
export interface SentWebhook {
  readonly identifier: string;
  readonly url: string;
  readonly webhookEvent: string;
  readonly body: unknown;
  readonly attempts: WebhookAttempt[];
  outcome: 'pending' | 'delivered' | 'rejected' | 'failed' | 'cancelled';
}

export interface WebhookSenderOptions {
  /** Pause between attempts, in ms. Jira Cloud waits minutes, the simulator defaults to 200 ms. */
  readonly retryDelayMs?: number;
  /** Time allowed for one attempt, in ms (default 10 000). */
  readonly timeoutMs?: number;
  readonly logger: Logger;
}

/** Retries after the first attempt. Jira Cloud makes at most 5. */
export const MAX_WEBHOOK_RETRIES = 5;

/** Concurrent deliveries per sender. Jira caps Primary-flow requests per tenant and host at 20. */
const MAX_CONCURRENT_DELIVERIES = 20;

const RETRYABLE_STATUSES = new Set([408, 409, 425, 429]);

/** Returns whether Jira retries a delivery that got `status`: 408, 409, 425, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || (status >= 500 && status <= 599);
}

/**
 * Sends webhook deliveries the way Jira Cloud's admin webhooks do: signed
 * JSON POSTs, retried with the same identifier on retryable statuses and
 * connection failures, several deliveries in flight at once (so they can
 * arrive out of order).
 */
export class WebhookSender {
  private readonly log: SentWebhook[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly waiting: Array<() => void> = [];
  private active = 0;

  constructor(private readonly options: WebhookSenderOptions) {}

  /** Queues one delivery of `body` to `target` and returns its log entry right away. */
  send(target: WebhookTarget, webhookEvent: string, body: unknown): SentWebhook {
    const entry: SentWebhook = { identifier: randomUUID(), url: target.url, webhookEvent, body, attempts: [], outcome: 'pending' };
    this.log.push(entry);

    const delivery = this.deliver(target, entry).finally(() => this.inflight.delete(delivery));
    this.inflight.add(delivery);
    return entry;
  }

  /** Resolves once every delivery queued so far has an outcome other than `pending`. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  sent(): readonly SentWebhook[] {
    return this.log;
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** Cancels pending retries and in-flight requests. Their deliveries end as `cancelled`. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.settled();
  }

  private async deliver(target: WebhookTarget, entry: SentWebhook): Promise<void> {
    const payload = target.excludeBody ? '' : JSON.stringify(entry.body);
    await this.acquireSlot();
    try {
      entry.outcome = await this.attemptAll(target, entry, payload);
    } finally {
      this.releaseSlot();
    }
    this.logOutcome(entry);
  }

  private async attemptAll(target: WebhookTarget, entry: SentWebhook, payload: string): Promise<SentWebhook['outcome']> {
    for (let retry = 0; retry <= MAX_WEBHOOK_RETRIES; retry += 1) {
      if (this.abort.signal.aborted) return 'cancelled';

      const attempt = await this.attemptOnce(target, entry.identifier, payload, retry);
      entry.attempts.push(attempt);
      if (this.abort.signal.aborted) return 'cancelled';

      if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) return 'delivered';
      if (attempt.status !== undefined && !isRetryableStatus(attempt.status)) return 'rejected';
      if (retry === MAX_WEBHOOK_RETRIES) break;

      this.options.logger.warn(
        { identifier: entry.identifier, webhookEvent: entry.webhookEvent, retry: retry + 1, status: attempt.status, error: attempt.error },
        'webhook delivery failed; retrying',
      );
      const waited = await sleep(this.options.retryDelayMs ?? 200, true, { signal: this.abort.signal }).catch(() => false);
      if (!waited) return 'cancelled';
    }
    return 'failed';
  }

  private async attemptOnce(target: WebhookTarget, identifier: string, payload: string, retry: number): Promise<WebhookAttempt> {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=UTF-8',
      'user-agent': 'Atlassian Webhook HTTP Client',
      'x-atlassian-webhook-identifier': identifier,
      'x-atlassian-webhook-flow': 'Primary',
    };
    if (retry > 0) headers['x-atlassian-webhook-retry'] = String(retry);
    if (target.secret !== undefined && target.secret !== '') headers['x-hub-signature'] = signBody(target.secret, payload);

    const at = Date.now();
    try {
      const response = await ky.post(target.url, {
        body: payload,
        headers,
        retry: 0,
        throwHttpErrors: false,
        redirect: 'manual',
        timeout: this.options.timeoutMs ?? 10_000,
        signal: this.abort.signal,
      });
      await response.arrayBuffer();
      return { retry, at, status: response.status };
    } catch (error) {
      return { retry, at, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private logOutcome(entry: SentWebhook): void {
    const fields = { identifier: entry.identifier, webhookEvent: entry.webhookEvent, attempts: entry.attempts.length, outcome: entry.outcome };
    if (entry.outcome === 'delivered' || entry.outcome === 'cancelled') {
      this.options.logger.debug(fields, 'webhook delivery ended');
    } else {
      this.options.logger.error({ ...fields, lastAttempt: entry.attempts.at(-1) }, 'webhook delivery not accepted');
    }
  }

  private async acquireSlot(): Promise<void> {
    if (this.active < MAX_CONCURRENT_DELIVERIES) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot straight to the next waiting delivery, or frees it. */
  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.active -= 1;
  }
}
