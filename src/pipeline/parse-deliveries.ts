import { map, type OperatorFunction } from 'rxjs';
import type { Delivery } from '../core/delivery.js';
import type { WebhookEvent } from '../processors/processor.js';

/** Longest `webhookEvent` accepted; Jira's longest names are about 60 characters. */
const MAX_EVENT_NAME_LENGTH = 128;

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
      // TextDecoder drops a UTF-8 byte order mark, as the ingress's parser does.
      payload = JSON.parse(new TextDecoder('utf-8').decode(delivery.body));
    } catch {
      // The parser's message quotes the body, which must not reach logs or the feed.
      return { delivery, startedAt, ignoredReason: 'body is not valid JSON' };
    }

    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return { delivery, startedAt, ignoredReason: 'body is not a JSON object' };
    }
    const name = (payload as Record<string, unknown>)['webhookEvent'];
    if (typeof name !== 'string' || name === '') {
      return { delivery, startedAt, ignoredReason: 'payload has no webhookEvent (Jira workflow post-functions send such bodies)' };
    }
    if (name.length > MAX_EVENT_NAME_LENGTH) {
      // Results, logs and the feed history carry the name; a huge one would make them huge.
      return { delivery, startedAt, ignoredReason: `webhookEvent is ${name.length} characters long; no Jira event name is longer than ${MAX_EVENT_NAME_LENGTH}` };
    }
    return { delivery, startedAt, event: { delivery, name, payload: payload as Record<string, unknown> } };
  });
}
