import { setTimeout as sleep } from 'node:timers/promises';
import { Semaphore } from '../jira/semaphore.js';

/**
 * The request limiter of one Port organization (one `PortClient`): at most
 * `maxConcurrency` requests in flight, and a shared pause after a 429 so
 * that every call waits out the rate limit instead of each one hitting it
 * again. A slot is held only while a request is on the wire, not during
 * retry waits.
 */
export class PortLimiter {
  readonly #slots: Semaphore;
  #pausedUntil = 0;

  constructor(maxConcurrency: number) {
    this.#slots = new Semaphore(maxConcurrency);
  }

  /** Epoch ms until which new requests wait. It is 0 or in the past when no pause is in force. */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** Makes every request that has not started wait `ms` from now. A shorter pause never cuts a longer one. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms);
  }

  /**
   * Resolves with a release function once no pause is in force and a slot
   * is free. A pause that starts while the caller waits for a slot is
   * waited out before the slot is used.
   */
  async acquire(): Promise<() => void> {
    for (;;) {
      await this.#waitForPause();
      await this.#slots.acquire();
      if (Date.now() >= this.#pausedUntil) {
        return once(() => this.#slots.release());
      }
      this.#slots.release();
    }
  }

  async #waitForPause(): Promise<void> {
    let remaining = this.#pausedUntil - Date.now();
    while (remaining > 0) {
      await sleep(remaining);
      remaining = this.#pausedUntil - Date.now();
    }
  }
}

function once(release: () => void): () => void {
  let released = false;
  return () => {
    if (!released) {
      released = true;
      release();
    }
  };
}
