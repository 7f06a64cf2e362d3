import type { IssueRecord } from './model.js';

interface IndexedVersion {
  /** Epoch ms from which this version is visible to lagged searches. */
  readonly at: number;
  /** The issue as it was from `at`. Null once deleted. */
  readonly issue: IssueRecord | null;
}

/**
 * The eventually consistent search index of Jira Cloud's `search/jql`.
 * It keeps the versions of each issue over time, so a search can read the
 * state as of `indexLagMs` ago. Versions older than the longest lag in use
 * are pruned, keeping the newest of them.
 */
export class SearchIndex {
  private readonly versions = new Map<string, IndexedVersion[]>();
  private retentionMs = 0;

  /** Stores a new version of issue `id` (null for a deletion), visible to lagged reads from `at`. */
  record(id: string, issue: IssueRecord | null, at: number): void {
    const history = this.versions.get(id) ?? [];
    history.push({ at, issue });
    this.versions.set(id, history);
    this.prune(history, at - this.retentionMs);

    const only = history[0];
    if (history.length === 1 && only?.issue === null && only.at <= at - this.retentionMs) {
      this.versions.delete(id);
    }
  }

  /** Keeps versions long enough to serve searches lagging by `lagMs`. */
  retainFor(lagMs: number): void {
    this.retentionMs = Math.max(this.retentionMs, lagMs);
  }

  /** Returns every issue that existed at `at`, as it was then. */
  snapshot(at: number): IssueRecord[] {
    const issues: IssueRecord[] = [];
    for (const history of this.versions.values()) {
      const visible = history.findLast((version) => version.at <= at);
      if (visible?.issue) issues.push(visible.issue);
    }
    return issues;
  }

  clear(): void {
    this.versions.clear();
  }

  /** Drops versions that a lag within the retention can no longer reach. */
  private prune(history: IndexedVersion[], horizon: number): void {
    let reachable = 0;
    while (reachable + 1 < history.length && (history[reachable + 1]?.at ?? Infinity) <= horizon) {
      reachable += 1;
    }
    history.splice(0, reachable);
  }
}
