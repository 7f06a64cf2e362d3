import { Observable, Subject } from 'rxjs';
import type { Delivery } from '../core/delivery.js';
import type { EventLog } from '../log/event-log.js';

/**
 * Bounds how many deliveries are between "read from the log" and "processed
 * result emitted". The log tail reads only while the gate has room, so a
 * burst waits in the log (on disk for the SQLite log), not in RxJS buffers.
 */
export class InFlightGate {
  private inFlight = 0;
  private closed = false;
  private readonly released = new Subject<void>();
  /** Emits after each `release`, so a paused reader can continue. */
  readonly released$ = this.released.asObservable();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`in-flight capacity must be a positive integer, got ${capacity}`);
  }

  /** Slots free for new deliveries; 0 once closed. */
  room(): number {
    return this.closed ? 0 : this.capacity - this.inFlight;
  }

  /** Admit no more deliveries (graceful stop); releases still count down. */
  close(): void {
    this.closed = true;
  }

  count(): number {
    return this.inFlight;
  }

  acquire(): void {
    this.inFlight++;
  }

  release(): void {
    this.inFlight--;
    this.released.next();
  }
}

export interface TailOptions {
  /** Read deliveries with offsets above this one. */
  readonly afterOffset: number;
  readonly gate: InFlightGate;
  /** Deliveries read per `readAfter` call. */
  readonly pageSize?: number;
}

/**
 * Read the event log from `afterOffset` as an Observable, in offset order,
 * then follow new appends. Emits a delivery only while the gate has room and
 * acquires a gate slot for it; the pipeline releases the slot when the
 * delivery's processed result is out. Never completes on its own; the
 * subscriber unsubscribes to stop reading. A read error is sent as an error
 * notification.
 */
export function tailLog(log: EventLog, options: TailOptions): Observable<Delivery> {
  const pageSize = options.pageSize ?? 256;

  return new Observable<Delivery>((subscriber) => {
    let cursor = options.afterOffset;
    let pumping = false;
    let again = false;

    // Reads as many deliveries as the gate allows. `again` covers wake-ups
    // that arrive while a pump is running (emits can synchronously release).
    const pump = (): void => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      try {
        do {
          again = false;
          while (!subscriber.closed && options.gate.room() > 0 && cursor < log.headOffset()) {
            const page = log.readAfter(cursor, Math.min(pageSize, options.gate.room()));
            if (page.length === 0) break;
            for (const delivery of page) {
              cursor = delivery.offset;
              options.gate.acquire();
              subscriber.next(delivery);
            }
          }
        } while (again && !subscriber.closed);
      } catch (error) {
        subscriber.error(error);
      } finally {
        pumping = false;
      }
    };

    const appended = log.appended$.subscribe(() => pump());
    const released = options.gate.released$.subscribe(() => pump());
    pump();

    return () => {
      appended.unsubscribe();
      released.unsubscribe();
    };
  });
}
