import { map, type OperatorFunction } from 'rxjs';
import type { WorkItem } from './work.js';

/**
 * Decode each item's payload with its processor's io-ts codec. A failure
 * ends the item as `rejected` with the path and reason; a success sets
 * `payload` and `entityId`. Items that already ended pass through. One
 * output per input, in order.
 */
export function validateWork(): OperatorFunction<WorkItem, WorkItem> {
  return map((item) => {
    if (item.end || !item.processor || !item.event) return item;

    const decoded = item.processor.validatePayload(item.event.payload);
    if (decoded._tag === 'Left') {
      const { path, reason } = decoded.left;
      return { ...item, end: { outcome: 'rejected', reason: `invalid ${item.event.name} payload at ${path}: ${reason}` } };
    }
    return { ...item, payload: decoded.right, entityId: item.processor.entityId(decoded.right, item.resource?.kind ?? '') };
  });
}
