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
    const now = this.now();
    const window = this.#windows.get(rejection.code);
    if (window !== undefined && now - window.startedAt < this.intervalMs) {
      window.suppressed += 1;
      return;
    }

    this.#windows.set(rejection.code, { startedAt: now, suppressed: 0 });
    const level = rejection.status >= 500 ? 'error' : 'warn';
    this.logger[level](
      {
        status: rejection.status,
        code: rejection.code,
        ...context,
        suppressed: window?.suppressed ?? 0,
        ...(rejection.cause === undefined ? {} : { err: rejection.cause }),
      },
      `webhook rejected: ${rejection.message}`,
    );
  }
}
