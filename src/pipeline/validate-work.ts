import { map, type OperatorFunction } from 'rxjs';
import { errorMessage, type WorkItem } from './work.js';

/**
 * Decode each item's payload with its processor's io-ts codec. A failure
 * ends the item as `rejected` with the path and reason; a success sets
 * `payload` and `entityId`. Items that already ended pass through. One
 * output per input, in order.
 */
export function validateWork(): OperatorFunction<WorkItem, WorkItem> {
  return map((item) => {
    if (item.end || !item.processor || !item.event) return item;

    let decoded: ReturnType<typeof item.processor.validatePayload>;
    try {
      decoded = item.processor.validatePayload(item.event.payload);
    } catch (error) {
      // A payload can break a decoder (nesting deeper than the stack allows);
      // it fails this delivery only, never the pipeline.
      return { ...item, end: { outcome: 'rejected', reason: `invalid ${item.event.name} payload: ${errorMessage(error)}` } };
    }
    if (decoded._tag === 'Left') {
      const { path, reason } = decoded.left;
      return { ...item, end: { outcome: 'rejected', reason: `invalid ${item.event.name} payload at ${path}: ${reason}` } };
    }
    try {
      return { ...item, payload: decoded.right, entityId: item.processor.entityId(decoded.right, item.resource?.kind ?? '') };
    } catch (error) {
      return { ...item, end: { outcome: 'rejected', reason: `invalid ${item.event.name} payload: ${errorMessage(error)}` } };
    }
  });
}
