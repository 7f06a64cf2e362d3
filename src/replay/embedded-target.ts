import type { Subscription } from 'rxjs';
import type { JiraPortStream } from '../embedded.js';
import type { Acknowledgement, ObservedResult, ReplayTarget, WatchStatus } from './replay-target.js';

/**
 * Replays into an embedded pipeline: each delivery is pushed into the
 * stream's event log, and results come from `results$`. No signature is
 * checked at the push, so a wrong signature shows up as a `rejected`
 * result instead of a 401.
 */
export class EmbeddedTarget implements ReplayTarget {
  readonly description = 'embedded pipeline';
  #subscription: Subscription | undefined;

  constructor(private readonly stream: JiraPortStream) {}

  async send(headers: Readonly<Record<string, string>>, body: Buffer): Promise<Acknowledgement> {
    try {
      const appended = await this.stream.push({ headers, body, receivedAt: Date.now() });
      return { status: appended.duplicate ? 200 : 202, duplicate: appended.duplicate };
    } catch (error) {
      return { status: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  watchResults(onResult: (result: ObservedResult) => void): Promise<WatchStatus> {
    this.#subscription = this.stream.results$.subscribe((result) => {
      onResult({ deliveryId: result.deliveryId, outcome: result.outcome, observedAt: performance.now() });
    });
    return Promise.resolve({ watching: true });
  }

  close(): Promise<void> {
    this.#subscription?.unsubscribe();
    return Promise.resolve();
  }
}
