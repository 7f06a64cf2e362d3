import { map, type OperatorFunction } from 'rxjs';
import { errorMessage, type WorkItem } from './work.js';

/**
 * Ask each item's processor whether the delivery comes from the configured
 * Jira site. A failed check ends the item as `rejected`; authentication is
 * never retried. Items that already ended pass through. One output per input,
 * in order.
 */
export function authenticateWork(): OperatorFunction<WorkItem, WorkItem> {
  return map((item) => {
    if (item.end || !item.processor) return item;

    const { body, headers } = item.delivery;
    try {
      if (item.processor.authenticate(body, headers)) return item;
    } catch (error) {
      return { ...item, end: { outcome: 'rejected', reason: `authentication failed: ${errorMessage(error)}` } };
    }

    const reason = headers['x-hub-signature'] === undefined
      ? 'delivery has no X-Hub-Signature header but a webhook secret is configured'
      : 'X-Hub-Signature does not match the body for the configured webhook secret';
    return { ...item, end: { outcome: 'rejected', reason } };
  });
}
