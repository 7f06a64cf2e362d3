import { Observable, type OperatorFunction } from 'rxjs';

/**
 * Collect values into arrays: a batch opens with its first value and is
 * emitted `windowMs` later or as soon as it holds `maxSize` values, whichever
 * comes first. Unlike `bufferTime`, no timer runs while nothing arrives and
 * no empty arrays are emitted. On source completion the open batch is
 * emitted before completing; errors pass through and drop the open batch.
 */
export function batchWithin<T>(windowMs: number, maxSize: number): OperatorFunction<T, T[]> {
  return (source) =>
    new Observable<T[]>((subscriber) => {
      let batch: T[] = [];
      let timer: NodeJS.Timeout | undefined;

      const flush = (): void => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        if (batch.length === 0) return;
        const full = batch;
        batch = [];
        subscriber.next(full);
      };

      const subscription = source.subscribe({
        next(value) {
          batch.push(value);
          if (batch.length >= maxSize || windowMs <= 0) flush();
          else timer ??= setTimeout(flush, windowMs);
        },
        error(error) {
          if (timer) clearTimeout(timer);
          subscriber.error(error);
        },
        complete() {
          flush();
          subscriber.complete();
        },
      });

      return () => {
        if (timer) clearTimeout(timer);
        subscription.unsubscribe();
      };
    });
}
