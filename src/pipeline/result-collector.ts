import type { EntityRef, Outcome, ProcessedResult, WorkResult } from '../core/results.js';
import { uniqueRefs, type WorkItem } from './work.js';

interface Collecting {
  readonly expected: number;
  readonly results: WorkResult[];
  readonly items: WorkItem[];
  fetchedAt?: number;
  writtenAt?: number;
}

/** Outcomes from the most to the least severe; a delivery takes the most severe of its work. */
const SEVERITY: readonly Outcome[] = ['dead-lettered', 'failed', 'rejected', 'upserted', 'deleted', 'ignored'];

/**
 * Joins the work results of each delivery back into one processed result.
 * The routing stage reports how many work items a delivery has; the result is
 * complete when that many work results arrived.
 */
export class ResultCollector {
  private readonly collecting = new Map<number, Collecting>();

  constructor(private readonly now: () => number = Date.now) {}

  expect(offset: number, workItems: number): void {
    this.collecting.set(offset, { expected: workItems, results: [], items: [] });
  }

  /** Add one work result; returns the processed result once the delivery is complete. */
  add(item: WorkItem, result: WorkResult, timings: { fetchedAt?: number; writtenAt?: number }): ProcessedResult | undefined {
    const offset = item.delivery.offset;
    const entry = this.collecting.get(offset);
    if (entry === undefined) throw new Error(`work result for offset ${offset}, which the collector does not expect`);

    entry.results.push(result);
    entry.items.push(item);
    if (timings.fetchedAt !== undefined) entry.fetchedAt = Math.max(entry.fetchedAt ?? 0, timings.fetchedAt);
    if (timings.writtenAt !== undefined) entry.writtenAt = Math.max(entry.writtenAt ?? 0, timings.writtenAt);
    if (entry.results.length < entry.expected) return undefined;

    this.collecting.delete(offset);
    return this.summarize(item, entry);
  }

  /** Deliveries whose work has not all ended yet. */
  pending(): number {
    return this.collecting.size;
  }

  private summarize(item: WorkItem, entry: Collecting): ProcessedResult {
    const work = entry.results;
    const outcome = SEVERITY.find((candidate) => work.some((result) => result.outcome === candidate)) ?? 'ignored';
    const decisive = work.find((result) => result.outcome === outcome);
    const reason = decisive?.reason === undefined ? undefined : capped(decisive.reason);
    const error = capped(work.map((result) => result.error).filter((text): text is string => text !== undefined).join('; '));

    return {
      offset: item.delivery.offset,
      deliveryId: item.delivery.deliveryId,
      webhookEvent: item.webhookEvent,
      processors: unique(entry.items.map((each) => each.processor?.name).filter((name): name is string => name !== undefined)),
      kinds: unique(entry.items.map((each) => each.resource?.kind).filter((kind): kind is string => kind !== undefined)),
      outcome,
      upserted: uniqueRefs(work.flatMap((result) => result.upserted)),
      deleted: uniqueRefs(work.flatMap((result) => result.deleted)),
      ...(reason !== undefined ? { reason } : {}),
      ...(error !== '' ? { error } : {}),
      work,
      timings: {
        receivedAt: item.delivery.receivedAt,
        startedAt: item.startedAt,
        ...(entry.fetchedAt !== undefined ? { fetchedAt: entry.fetchedAt } : {}),
        ...(entry.writtenAt !== undefined ? { writtenAt: entry.writtenAt } : {}),
        finishedAt: this.now(),
      },
    };
  }
}

/**
 * Maximum length of the reason or error text kept in a result. Results are logged, stored
 * for the feed's resume and sent to every feed client, so one huge error
 * (a Port message quoting a big entity) must not make them huge.
 */
const MAX_TEXT_LENGTH = 2000;

function capped(text: string): string {
  return text.length <= MAX_TEXT_LENGTH ? text : `${text.slice(0, MAX_TEXT_LENGTH)}... (${text.length - MAX_TEXT_LENGTH} more characters)`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
