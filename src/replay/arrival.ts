import { signBody } from '../ingress/signature.js';
import type { RecordedDelivery } from './recording.js';
import { exponentialDelay, type Random } from './random-choice.js';

/** One webhook as the simulator sent it, in the order its changes happened. */
export interface SentEvent {
  readonly identifier: string;
  readonly webhookEvent: string;
  /** The JSON body exactly as sent. */
  readonly body: string;
  /** Whether Jira sends this delivery a second time, as a retry after a lost response. */
  readonly duplicated: boolean;
}

export interface ArrivalSettings {
  /** Share of issue and comment deliveries that arrive late, overtaken by later ones. */
  readonly reorderRate: number;
  /** Maximum number of later deliveries that overtake a late one (and that arrive between a delivery and its retry). */
  readonly reorderWindow: number;
  /** Mean arrival rate of the timeline, in deliveries per second. */
  readonly ratePerSecond: number;
  /** Epoch ms of the first arrival. */
  readonly startAt: number;
  /** Sign every body with this webhook secret; unsigned when absent. */
  readonly secret?: string | undefined;
}

/** The deliveries in arrival order, and how many arrived late or as retries. */
export interface Arrivals {
  readonly deliveries: RecordedDelivery[];
  readonly late: number;
  readonly retries: number;
}

interface Slot {
  readonly event: SentEvent;
  readonly retry: boolean;
  /** Arrival position: the event's send position, plus the slip of a late delivery or a retry. */
  readonly position: number;
}

/**
 * Turn the sent events into arrivals. Only issue and comment deliveries
 * arrive late, because the service re-fetches those, so their order
 * cannot change the outcome. Project and user deliveries keep their order,
 * since a trash and a restore swapped would end with the wrong project
 * state. A retry arrives after its first copy, with the same identifier and
 * `X-Atlassian-Webhook-Retry: 1`. Gaps between arrivals are exponential
 * (Poisson arrivals at `ratePerSecond`).
 */
export function arrange(events: readonly SentEvent[], random: Random, settings: ArrivalSettings): Arrivals {
  const slots: Slot[] = [];
  let late = 0;

  events.forEach((event, index) => {
    const slips = reorderable(event.webhookEvent) && random() < settings.reorderRate;
    if (slips) late += 1;
    const position = index + (slips ? slip(random, settings.reorderWindow) + 0.5 : 0);
    slots.push({ event, retry: false, position });
    if (event.duplicated) slots.push({ event, retry: true, position: position + slip(random, settings.reorderWindow) + 0.25 });
  });
  slots.sort((left, right) => left.position - right.position);

  let receivedAt = settings.startAt;
  const deliveries = slots.map((slot, index) => {
    if (index > 0) receivedAt += exponentialDelay(random, 1000 / settings.ratePerSecond);
    return { receivedAt: Math.round(receivedAt), headers: headersOf(slot, settings.secret), body: Buffer.from(slot.event.body, 'utf8') };
  });
  return { deliveries, late, retries: slots.length - events.length };
}

/** Headers as Jira Cloud's admin webhooks send them (see fixtures/payloads/headers_admin_webhook.json). */
function headersOf(slot: Slot, secret: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=UTF-8',
    'user-agent': 'Atlassian Webhook HTTP Client',
    'x-atlassian-webhook-identifier': slot.event.identifier,
    'x-atlassian-webhook-flow': 'Primary',
  };
  if (slot.retry) headers['x-atlassian-webhook-retry'] = '1';
  if (secret !== undefined) headers['x-hub-signature'] = signBody(secret, slot.event.body);
  return headers;
}

function reorderable(webhookEvent: string): boolean {
  return webhookEvent.startsWith('jira:issue_') || webhookEvent.startsWith('comment_');
}

function slip(random: Random, window: number): number {
  return 1 + Math.floor(random() * Math.max(1, window));
}
