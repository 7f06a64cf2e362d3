import { mergeMap, type OperatorFunction } from 'rxjs';
import type { PortAppConfig } from '../mapping/types.js';
import type { Processor } from '../processors/processor.js';
import type { ParsedDelivery } from './parse-deliveries.js';
import type { ResultCollector } from './result-collector.js';
import { errorMessage, type WorkItem } from './work.js';

/**
 * Fan each delivery out into work items: for every processor whose
 * `shouldProcessEvent` is true, one item per kind it names and per resource
 * config of that kind, in processor and resource order. A delivery no
 * processor owns, or whose kinds are not in the mapping, becomes one
 * `ignored` item with the reason. Tells the collector how many items each
 * delivery has before emitting them.
 */
export function routeToProcessors(
  processors: readonly Processor<unknown>[],
  mapping: PortAppConfig,
  collector: ResultCollector,
): OperatorFunction<ParsedDelivery, WorkItem> {
  return mergeMap((parsed) => {
    const items = safeWorkItemsOf(parsed, processors, mapping);
    collector.expect(parsed.delivery.offset, items.length);
    return items;
  });
}

/** `workItemsOf`, but a processor that throws ends the delivery as failed instead of the pipeline. */
function safeWorkItemsOf(parsed: ParsedDelivery, processors: readonly Processor<unknown>[], mapping: PortAppConfig): WorkItem[] {
  try {
    return workItemsOf(parsed, processors, mapping);
  } catch (error) {
    const base = { delivery: parsed.delivery, startedAt: parsed.startedAt, webhookEvent: parsed.event?.name ?? null };
    return [{ ...base, end: { outcome: 'failed', error: `routing the delivery failed: ${errorMessage(error)}` } }];
  }
}

function workItemsOf(parsed: ParsedDelivery, processors: readonly Processor<unknown>[], mapping: PortAppConfig): WorkItem[] {
  const base = { delivery: parsed.delivery, startedAt: parsed.startedAt, webhookEvent: parsed.event?.name ?? null };
  const event = parsed.event;
  if (event === undefined) {
    return [{ ...base, end: { outcome: 'ignored', reason: parsed.ignoredReason ?? 'no webhook event' } }];
  }

  const owners = processors.filter((processor) => processor.shouldProcessEvent(event));
  if (owners.length === 0) {
    return [{ ...base, event, end: { outcome: 'ignored', reason: `no processor handles webhook event "${event.name}"` } }];
  }

  const items: WorkItem[] = [];
  for (const processor of owners) {
    for (const kind of processor.getMatchingKinds(event)) {
      for (const resource of mapping.resources.filter((candidate) => candidate.kind === kind)) {
        items.push({ ...base, event, processor, resource });
      }
    }
  }
  if (items.length === 0) {
    const kinds = owners.flatMap((processor) => processor.getMatchingKinds(event));
    return [{ ...base, event, end: { outcome: 'ignored', reason: `kinds ${kinds.join(', ')} are not in the mapping` } }];
  }
  return items;
}
