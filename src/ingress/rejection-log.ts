import type { Logger } from '../core/logger.js';
import type { WebhookRejection } from './errors.js';

/** Interval in which each rejection code is logged once. Later repeats are only counted. */
export const REJECTION_LOG_INTERVAL_MS = 60_000;

/** Request fields logged with a rejection. The body and the signature are never logged. */
export interface RejectionContext {
  readonly method: string | undefined;
  readonly remoteAddress: string | undefined;
  readonly deliveryId?: string;
}

interface CodeWindow {
  startedAt: number;
  suppressed: number;
}

/**
 * Log rejected requests, at `error` for 5xx (the service failed) and at
 * `warn` for 4xx (the sender did). Each rejection code gets at most one line
 * per interval, so that a misconfigured sender or a flood of bad requests
 * cannot fill the logs. The first line of the next interval carries the
 * number of rejections left out (`suppressed`).
 */
export class RejectionLog {
  readonly #windows = new Map<string, CodeWindow>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly intervalMs: number = REJECTION_LOG_INTERVAL_MS,
  ) {}

  record(rejection: WebhookRejection, context: RejectionContext): void {
    const suppressed = this.#admit(rejection.code);
    if (suppressed === undefined) return;

    const level = rejection.status >= 500 ? 'error' : 'warn';
    this.logger[level](
      {
        status: rejection.status,
        code: rejection.code,
        ...context,
        suppressed,
        ...(rejection.cause === undefined ? {} : { err: rejection.cause }),
      },
      `webhook rejected: ${rejection.message}`,
    );
  }

  /** Log a request whose client hung up before the body was complete, under the same per-interval limit. */
  recordAborted(receivedBytes: number, context: RejectionContext): void {
    const suppressed = this.#admit('aborted');
    if (suppressed === undefined) return;
    this.logger.info({ ...context, receivedBytes, suppressed }, 'webhook request aborted by the client');
  }

  /** The number of lines left out since the last one for `code`, or undefined when this one is left out too. */
  #admit(code: string): number | undefined {
    const now = this.now();
    const window = this.#windows.get(code);
    if (window !== undefined && now - window.startedAt < this.intervalMs) {
      window.suppressed += 1;
      return undefined;
    }
    this.#windows.set(code, { startedAt: now, suppressed: 0 });
    return window?.suppressed ?? 0;
  }
}
