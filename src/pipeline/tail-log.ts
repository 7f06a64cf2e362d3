import { Observable, Subject } from 'rxjs';
import type { Delivery } from '../core/delivery.js';
import type { EventLog } from '../log/event-log.js';

/**
 * Bounds how many deliveries are between "read from the log" and "processed
 * result emitted". The log tail reads only while the gate has room, so a
 * burst waits in the log (on disk for the SQLite log), not in RxJS buffers.
 */
export class InFlightGate {
  private readonly bytesByOffset = new Map<number, number>();
  private bytes = 0;
  private closed = false;
  private readonly released = new Subject<void>();
  /** Emits after each `release`, so a paused reader can continue. */
  readonly released$ = this.released.asObservable();

  /**
   * @param capacity maximum number of deliveries in flight
   * @param maxBytes maximum body bytes in flight; one delivery is always admitted, however large
   */
  constructor(
    readonly capacity: number,
    readonly maxBytes: number = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`in-flight capacity must be a positive integer, got ${capacity}`);
    if (!(maxBytes > 0)) throw new RangeError(`in-flight byte budget must be positive, got ${maxBytes}`);
  }

  /** Slots free for new deliveries; 0 once closed or while the byte budget is spent. */
  room(): number {
    if (this.closed) return 0;
    if (this.bytes >= this.maxBytes && this.bytesByOffset.size > 0) return 0;
    return this.capacity - this.bytesByOffset.size;
  }

  /** Admit no more deliveries (graceful stop); releases still count down. */
  close(): void {
    this.closed = true;
  }

  count(): number {
    return this.bytesByOffset.size;
  }

  acquire(offset: number, bodyBytes: number): void {
    this.bytesByOffset.set(offset, bodyBytes);
    this.bytes += bodyBytes;
  }

  release(offset: number): void {
    this.bytes -= this.bytesByOffset.get(offset) ?? 0;
    this.bytesByOffset.delete(offset);
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
  const pageSize = options.pageSize ?? 32;

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
              // The byte budget can run out inside a page; the rest is read again later.
              if (options.gate.room() <= 0 || subscriber.closed) break;
              cursor = delivery.offset;
              options.gate.acquire(delivery.offset, delivery.body.length);
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
