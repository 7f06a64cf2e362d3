import type { IncomingMessage } from 'node:http';
import type { BodyBudget } from './body-budget.js';
import { BodyTimeoutError, IngressBusyError, PayloadTooLargeError, RequestAbortedError } from './errors.js';

/** Seconds a sender is asked to wait when the body budget is spent. */
const BUSY_RETRY_AFTER_SECONDS = 5;

export interface ReadBodyOptions {
  readonly maxBodyBytes: number;
  /** Milliseconds allowed for the whole body, counted from the call. */
  readonly timeoutMs: number;
  /**
   * Shared budget of body bytes. Every chunk is reserved from it; after a
   * rejection the reservation is released here, after success the caller
   * releases `body.length` once it is done with the body.
   */
  readonly budget?: BodyBudget;
}

/**
 * Read the request body into one Buffer. Rejects with `PayloadTooLargeError`
 * as soon as more than `maxBodyBytes` arrived, with `BodyTimeoutError` when
 * the body is not complete within `timeoutMs` (a slow or stalled sender), and
 * with `RequestAbortedError` when the client closes the connection first,
 * and with `IngressBusyError` when the shared body budget is spent.
 * After a rejection the request is paused, so no more of the body is read.
 */
export function readBody(request: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let receivedBytes = 0;

    let reservedBytes = 0;

    const onData = (chunk: Buffer): void => {
      receivedBytes += chunk.length;
      if (receivedBytes > options.maxBodyBytes) {
        fail(new PayloadTooLargeError(options.maxBodyBytes));
        return;
      }
      if (options.budget && !options.budget.tryReserve(chunk.length)) {
        fail(new IngressBusyError(BUSY_RETRY_AFTER_SECONDS));
        return;
      }
      reservedBytes += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks, receivedBytes));
    };
    // 'close' without 'end' first means the client went away mid-body.
    const onClose = (): void => fail(new RequestAbortedError(receivedBytes));
    const onError = (cause: Error): void => fail(new RequestAbortedError(receivedBytes, { cause }));
    const timer = setTimeout(() => fail(new BodyTimeoutError(options.timeoutMs, receivedBytes)), options.timeoutMs);

    function stop(): void {
      clearTimeout(timer);
      request.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError);
      // A later 'error' without a listener would crash the process.
      request.on('error', () => undefined);
    }
    function fail(error: Error): void {
      stop();
      options.budget?.release(reservedBytes);
      request.pause();
      reject(error);
    }

    request.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onError);
  });
}
