/**
 * A counting semaphore with first-in, first-out waiters. It bounds how many
 * Jira requests of one site are in flight at once.
 */
export class Semaphore {
  readonly permits: number;
  #available: number;
  readonly #waiters: Array<() => void> = [];

  constructor(permits: number) {
    if (!Number.isInteger(permits) || permits < 1) {
      throw new RangeError(`Invalid semaphore size ${permits}: expected an integer of at least 1.`);
    }
    this.permits = permits;
    this.#available = permits;
  }

  /** Number of callers waiting for a permit. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Number of permits in use. */
  get inUse(): number {
    return this.permits - this.#available;
  }

  /** Takes a permit if one is free and returns whether it did. */
  tryAcquire(): boolean {
    if (this.#available === 0) {
      return false;
    }
    this.#available -= 1;

    return true;
  }

  /** Resolves once the caller holds a permit. Waiters are served in arrival order. */
  acquire(): Promise<void> {
    if (this.tryAcquire()) {
      return Promise.resolve();
    }

    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Returns a permit, handing it straight to the oldest waiter if there is one. */
  release(): void {
    const next = this.#waiters.shift();
    if (next) {
      next();
      return;
    }
    this.#available = Math.min(this.permits, this.#available + 1);
  }
}
