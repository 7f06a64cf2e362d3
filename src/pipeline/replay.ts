import { from, lastValueFrom, Observable, tap } from 'rxjs';
import type { ProcessedResult } from '../core/results.js';
import type { EventLog } from '../log/event-log.js';
import type { Pipeline } from './pipeline.js';

/** Deliveries read from the log and re-processed per page; a page ends before the next is read. */
export const REPLAY_PAGE_SIZE = 200;

/** Offsets of a replay, both included. */
export interface ReplayRange {
  readonly fromOffset: number;
  readonly toOffset: number;
}

/**
 * Re-process the logged deliveries with offsets in `range` through the
 * pipeline's current mapping, in offset order, one page of `pageSize`
 * deliveries at a time, so that memory stays bounded however long the
 * range is. Offsets that retention already removed are skipped. Emits one
 * processed result per delivery and completes after the last one;
 * unsubscribing stops before the next page. The checkpoint is not touched.
 */
export function replayDeliveries(
  pipeline: Pipeline,
  log: EventLog,
  range: ReplayRange,
  pageSize: number = REPLAY_PAGE_SIZE,
): Observable<ProcessedResult> {
  return new Observable<ProcessedResult>((subscriber) => {
    let stopped = false;

    const run = async (): Promise<void> => {
      let after = range.fromOffset - 1;
      while (!stopped && after < range.toOffset) {
        const page = log.readAfter(after, pageSize).filter((delivery) => delivery.offset <= range.toOffset);
        if (page.length === 0) break;

        const results = pipeline.reprocess(from(page)).pipe(tap((result) => subscriber.next(result)));
        await lastValueFrom(results, { defaultValue: undefined });
        after = Math.max(...page.map((delivery) => delivery.offset));
      }
      subscriber.complete();
    };

    run().catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
    };
  });
}
