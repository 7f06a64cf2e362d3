import type { ProcessedResult } from '../core/results.js';

/**
 * Recent processed results, kept so that a feed client can resume from an
 * offset. The feed records every result it receives here before it sends
 * the result to clients.
 */
export interface ResultHistory {
  /** Stores a result. A result with an offset already stored replaces the stored one. */
  record(result: ProcessedResult): void;
  /** Returns at most `limit` stored results with an offset greater than `offset`, in ascending offset order. */
  after(offset: number, limit: number): ProcessedResult[];
  /** Returns the lowest stored offset, or undefined while nothing is stored. */
  oldestOffset(): number | undefined;
}

export const DEFAULT_HISTORY_CAPACITY = 10_000;

/**
 * A `ResultHistory` in memory that keeps the `capacity` results with the
 * highest offsets and evicts the lowest offset first.
 *
 * Results usually arrive in offset order, which makes `record` O(1). A result
 * that arrives late is inserted at its place, which costs one shift of the
 * entries after it.
 */
export class MemoryResultHistory implements ResultHistory {
  private readonly capacity: number;
  /**
   * Stored results in ascending offset order from index `start` on. Slots
   * before `start` were evicted and are cleared so that the results can be
   * garbage-collected.
   */
  private entries: (ProcessedResult | undefined)[] = [];
  private start = 0;

  constructor(capacity: number = DEFAULT_HISTORY_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Invalid history capacity ${String(capacity)}: expected an integer of at least 1.`);
    }
    this.capacity = capacity;
  }

  record(result: ProcessedResult): void {
    const index = this.insertionIndex(result.offset);
    const previous = index > this.start ? this.entries[index - 1] : undefined;

    if (previous !== undefined && previous.offset === result.offset) {
      this.entries[index - 1] = result;
      return;
    }

    this.entries.splice(index, 0, result);
    if (this.size() > this.capacity) {
      this.evictOldest();
    }
  }

  after(offset: number, limit: number): ProcessedResult[] {
    if (limit <= 0) {
      return [];
    }

    const first = this.insertionIndex(offset);
    return this.entries.slice(first, first + limit) as ProcessedResult[];
  }

  oldestOffset(): number | undefined {
    return this.entries[this.start]?.offset;
  }

  /** Returns the number of stored results. */
  size(): number {
    return this.entries.length - this.start;
  }

  /** Returns the index of the first stored entry with an offset greater than `offset`. */
  private insertionIndex(offset: number): number {
    const last = this.entries[this.entries.length - 1];
    if (last === undefined || last.offset <= offset) {
      return this.entries.length;
    }

    let low = this.start;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const entry = this.entries[middle] as ProcessedResult;
      if (entry.offset <= offset) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /**
   * Drops the lowest offset. The array is compacted once the dropped prefix
   * reaches the capacity, so eviction costs O(1) amortized.
   */
  private evictOldest(): void {
    this.entries[this.start] = undefined;
    this.start += 1;

    if (this.start >= this.capacity) {
      this.entries = this.entries.slice(this.start);
      this.start = 0;
    }
  }
}
