import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { EventLog } from '../log/event-log.js';
import { recordingLine, type RecordedDelivery } from './recording.js';

/** Deliveries read from the log per `readAfter` call. */
const PAGE_SIZE = 500;

/** A window of receive times, in epoch milliseconds: `since` included, `until` excluded. */
export interface ReceiveWindow {
  readonly since: number;
  /** Default: no upper bound. */
  readonly until?: number;
}

/**
 * Yield the deliveries of `log` received inside `window`, in offset order.
 * The whole log is read page by page, because it has no index on receive
 * times, so memory stays bounded by one page.
 */
export function* deliveriesReceivedIn(log: EventLog, window: ReceiveWindow): Generator<RecordedDelivery> {
  const until = window.until ?? Number.POSITIVE_INFINITY;
  let after = 0;

  for (;;) {
    const page = log.readAfter(after, PAGE_SIZE);
    for (const delivery of page) {
      if (delivery.receivedAt >= window.since && delivery.receivedAt < until) {
        yield { receivedAt: delivery.receivedAt, headers: delivery.headers, body: delivery.body };
      }
    }

    const last = page.at(-1);
    if (last === undefined || page.length < PAGE_SIZE) return;
    after = last.offset;
  }
}

/**
 * Write the deliveries of `log` received inside `window` to `output` as a
 * recording, waiting for `output` to drain when it is full. Signatures are
 * redacted unless `signatures` is true. Returns the number of lines written.
 */
export async function exportRecording(
  log: EventLog,
  window: ReceiveWindow,
  output: Writable,
  options: { readonly signatures: boolean },
): Promise<number> {
  let count = 0;
  for (const delivery of deliveriesReceivedIn(log, window)) {
    const ready = output.write(recordingLine(delivery, options));
    count += 1;
    if (!ready) await once(output, 'drain');
  }
  return count;
}
