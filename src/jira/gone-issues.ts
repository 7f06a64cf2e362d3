/**
 * Issue ids that `GET /rest/api/3/issue/{id}` answered with 404 recently.
 * Jira never gives a deleted issue's id to another issue, so a later fetch
 * of such an id can skip the request and report the issue missing. A 404
 * also means "no permission", which can change, so entries expire after
 * `ttlMs`. The oldest entries are dropped beyond `maxEntries`.
 */
export class GoneIssues {
  readonly #goneAt = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(id: string): void {
    this.#goneAt.delete(id);
    this.#goneAt.set(id, this.now());
    if (this.#goneAt.size > this.maxEntries) {
      const oldest = this.#goneAt.keys().next().value;
      if (oldest !== undefined) this.#goneAt.delete(oldest);
    }
  }

  has(id: string): boolean {
    const goneAt = this.#goneAt.get(id);
    if (goneAt === undefined) return false;
    if (this.now() - goneAt < this.ttlMs) return true;

    this.#goneAt.delete(id);
    return false;
  }
}
