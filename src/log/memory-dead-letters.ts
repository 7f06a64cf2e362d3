import type { DeadLetter, DeadLetterListOptions, DeadLetterStore, NewDeadLetter } from './dead-letters.js';
import { DeadLetterNotFoundError } from './errors.js';
import { DEFAULT_DEAD_LETTER_PAGE } from './log-settings.js';

/** A `DeadLetterStore` kept in process memory, for embedding and tests. */
export class MemoryDeadLetterStore implements DeadLetterStore {
  readonly #entries = new Map<number, DeadLetter>();
  readonly #now: () => number;
  #lastId = 0;

  /** @param now clock for `markRedriven` timestamps (default `Date.now`). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  add(entry: NewDeadLetter): number {
    const waiting = [...this.#entries.values()].find((stored) => stored.redrivenAt === null && isSameWork(stored, entry));
    if (waiting !== undefined) {
      this.#entries.set(waiting.id, { ...waiting, error: entry.error, attempts: waiting.attempts + entry.attempts, lastFailedAt: entry.lastFailedAt });
      return waiting.id;
    }

    this.#lastId += 1;
    this.#entries.set(this.#lastId, { ...entry, id: this.#lastId, redrivenAt: null });
    return this.#lastId;
  }

  list(options: DeadLetterListOptions = {}): DeadLetter[] {
    const afterId = options.afterId ?? 0;
    const limit = options.limit ?? DEFAULT_DEAD_LETTER_PAGE;
    const matches: DeadLetter[] = [];

    // Map iteration follows insertion order, which is id order.
    for (const entry of this.#entries.values()) {
      if (matches.length >= limit) break;
      if (entry.id <= afterId) continue;
      if (!options.includeRedriven && entry.redrivenAt !== null) continue;
      if (options.processor !== undefined && entry.processor !== options.processor) continue;
      matches.push(entry);
    }
    return matches;
  }

  get(id: number): DeadLetter | undefined {
    return this.#entries.get(id);
  }

  waitingAt(offset: number): DeadLetter[] {
    return [...this.#entries.values()].filter((entry) => entry.offset === offset && entry.redrivenAt === null);
  }

  drop(id: number): boolean {
    return this.#entries.delete(id);
  }

  markRedriven(id: number): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) throw new DeadLetterNotFoundError(id);
    this.#entries.set(id, { ...entry, redrivenAt: this.#now() });
  }

  recordFailedAttempt(id: number, error: string, failedAt: number): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) throw new DeadLetterNotFoundError(id);
    this.#entries.set(id, { ...entry, error, attempts: entry.attempts + 1, lastFailedAt: failedAt });
  }

  count(): number {
    let waiting = 0;
    for (const entry of this.#entries.values()) {
      if (entry.redrivenAt === null) waiting += 1;
    }
    return waiting;
  }

  /** Event log offsets that dead letters waiting for a redrive still need. */
  pendingOffsets(): Set<number> {
    const offsets = new Set<number>();
    for (const entry of this.#entries.values()) {
      if (entry.redrivenAt === null) offsets.add(entry.offset);
    }
    return offsets;
  }
}

/** True when both entries describe the same unit of work of the same delivery. */
function isSameWork(left: NewDeadLetter, right: NewDeadLetter): boolean {
  return (
    left.offset === right.offset &&
    left.processor === right.processor &&
    left.resourceIndex === right.resourceIndex &&
    left.entityId === right.entityId
  );
}
