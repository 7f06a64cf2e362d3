import type { EntityRef } from '../core/results.js';
import { scopedRefKey } from './work.js';

/**
 * Entities this pipeline deleted from Port in the last `ttlMs` and has not
 * upserted since. Deleting one of them again changes nothing in Port, but
 * costs a bulk request and, because Port leaves absent identifiers out of
 * its answer, a read per entity to confirm; a burst of deliveries for a
 * deleted issue would send those again and again.
 *
 * NOTE: an entity that another writer (a resync, a user) creates in Port
 * within `ttlMs` of this pipeline's delete is not deleted again for that
 * time.
 */
export class RecentDeletes {
  readonly #deletedAt = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  deleted(resourceIndex: number, ref: EntityRef): void {
    const key = scopedRefKey(resourceIndex, ref);
    this.#deletedAt.delete(key);
    this.#deletedAt.set(key, this.now());
    if (this.#deletedAt.size > this.maxEntries) {
      const oldest = this.#deletedAt.keys().next().value;
      if (oldest !== undefined) this.#deletedAt.delete(oldest);
    }
  }

  upserted(resourceIndex: number, ref: EntityRef): void {
    this.#deletedAt.delete(scopedRefKey(resourceIndex, ref));
  }

  has(resourceIndex: number, ref: EntityRef): boolean {
    const key = scopedRefKey(resourceIndex, ref);
    const deletedAt = this.#deletedAt.get(key);
    if (deletedAt === undefined) return false;
    if (this.now() - deletedAt < this.ttlMs) return true;

    this.#deletedAt.delete(key);
    return false;
  }
}
