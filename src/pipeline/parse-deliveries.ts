import { map, type OperatorFunction } from 'rxjs';
import type { Delivery } from '../core/delivery.js';
import type { WebhookEvent } from '../processors/processor.js';

/** A delivery with its body parsed, or the reason it carries no webhook event. */
export interface ParsedDelivery {
  readonly delivery: Delivery;
  /** Epoch ms when the pipeline read the delivery from the log. */
  readonly startedAt: number;
  readonly event?: WebhookEvent;
  /** Why there is no event: invalid JSON, not an object, no `webhookEvent`. */
  readonly ignoredReason?: string;
}

/**
 * Parse each delivery's body. The ingress already rejected invalid JSON, but
 * deliveries also come from host pushes and old logs, so a body that is not
 * a JSON object with a `webhookEvent` string ends as ignored with the
 * reason (Jira workflow post-functions send bodies without one). Emits one
 * value per delivery, in order; never errors.
 */
export function parseDeliveries(now: () => number = Date.now): OperatorFunction<Delivery, ParsedDelivery> {
  return map((delivery) => {
    const startedAt = now();
    let payload: unknown;
    try {
      payload = JSON.parse(delivery.body.toString('utf8'));
    } catch (error) {
      return { delivery, startedAt, ignoredReason: `body is not valid JSON: ${(error as Error).message}` };
    }

    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return { delivery, startedAt, ignoredReason: 'body is not a JSON object' };
    }
    const name = (payload as Record<string, unknown>)['webhookEvent'];
    if (typeof name !== 'string' || name === '') {
      return { delivery, startedAt, ignoredReason: 'payload has no webhookEvent (Jira workflow post-functions send such bodies)' };
    }
    return { delivery, startedAt, event: { delivery, name, payload: payload as Record<string, unknown> } };
  });
}
