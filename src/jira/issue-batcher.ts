import { MAX_RECONCILE_IDS, splitFieldList } from './client.js';
import { requireNumericId } from './jql.js';
import { requireJiraCall } from './optional-calls.js';
import type {
  DataCenterUserRef, IssueQuery, JiraApi, JiraBoard, JiraDataCenterUser, JiraIssue, JiraProject, JiraSprint, JiraUser, JiraVersion, JiraWorklog,
} from './types.js';

export interface IssueFetchBatcherOptions {
  /** How long in ms a batch collects ids after its first call. Default 20. */
  readonly windowMs?: number;
  /** Maximum ids per search. A full batch is sent at once. Default and maximum 50, Jira's `reconcileIssues` limit. */
  readonly maxBatchSize?: number;
  /** False sends one `issuesById` call per id instead of batching, for comparison in benchmarks. Default true. */
  readonly enabled?: boolean;
}

/** A caller waiting for part of a batch. */
interface Waiter {
  readonly ids: readonly string[];
  readonly resolve: (issues: JiraIssue[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Ids collected for one query while the window is open. */
interface PendingBatch {
  readonly query: IssueQuery;
  readonly ids: Set<string>;
  readonly waiters: Waiter[];
  timer?: NodeJS.Timeout;
}

/**
 * Merges `issuesById` calls for the same query (same JQL, fields and expand)
 * into one search of up to 50 ids. The first call of a batch opens a window
 * of `windowMs`, and calls that arrive before the window closes join the
 * batch. A batch that reaches the size limit is sent at once, and the next
 * call opens a new one. Each caller receives only the issues of its own ids,
 * or the batch's error when the search fails.
 *
 * Other JiraApi methods go straight to the wrapped client, so the pipeline
 * can use the batcher in place of the client.
 */
export class IssueFetchBatcher implements JiraApi {
  readonly #client: JiraApi;
  readonly #windowMs: number;
  readonly #maxBatchSize: number;
  readonly #enabled: boolean;
  readonly #pending = new Map<string, PendingBatch>();

  constructor(client: JiraApi, options: IssueFetchBatcherOptions = {}) {
    this.#client = client;
    this.#windowMs = options.windowMs ?? 20;
    this.#maxBatchSize = Math.min(options.maxBatchSize ?? MAX_RECONCILE_IDS, MAX_RECONCILE_IDS);
    this.#enabled = options.enabled ?? true;
    if (!Number.isInteger(this.#maxBatchSize) || this.#maxBatchSize < 1) {
      throw new RangeError(`Invalid maxBatchSize ${String(options.maxBatchSize)}: expected an integer from 1 to ${MAX_RECONCILE_IDS}.`);
    }
  }

  /**
   * Fetches issues by id through a shared batch, as the class description explains.
   * Ids are checked before they join a batch, so one caller's invalid id
   * (InvalidJiraIdError) does not fail the other callers.
   */
  async issuesById(ids: readonly string[], query: IssueQuery): Promise<JiraIssue[]> {
    const uniqueIds = [...new Set(ids.map((id) => requireNumericId('issue', id)))];
    if (uniqueIds.length === 0) {
      return [];
    }

    if (!this.#enabled) {
      const perId = await Promise.all(uniqueIds.map((id) => this.#client.issuesById([id], query)));
      return perId.flat();
    }

    const parts: Promise<JiraIssue[]>[] = [];
    for (let start = 0; start < uniqueIds.length; start += this.#maxBatchSize) {
      parts.push(this.#enqueue(uniqueIds.slice(start, start + this.#maxBatchSize), query));
    }

    return (await Promise.all(parts)).flat();
  }

  issuesOfProject(projectId: string, query: IssueQuery): Promise<JiraIssue[]> {
    return this.#client.issuesOfProject(projectId, query);
  }

  project(idOrKey: string, expand?: string): Promise<JiraProject | null> {
    return this.#client.project(idOrKey, expand);
  }

  // TODO: batch user fetches through GET /rest/api/3/user/bulk (many accountId parameters); each
  // user is one request for now, bounded only by the client's shared concurrency limit.
  user(accountId: string): Promise<JiraUser | null> {
    return this.#client.user(accountId);
  }

  markIssueDeleted(issueId: string): void {
    this.#client.markIssueDeleted?.(issueId);
  }

  // The optional calls throw JiraCallUnavailableError when the wrapped client lacks them.

  version(id: string): Promise<JiraVersion | null> {
    return requireJiraCall(this.#client, 'version')(id);
  }

  sprint(id: string): Promise<JiraSprint | null> {
    return requireJiraCall(this.#client, 'sprint')(id);
  }

  board(id: string): Promise<JiraBoard | null> {
    return requireJiraCall(this.#client, 'board')(id);
  }

  boardProjects(boardId: string): Promise<JiraProject[] | null> {
    return requireJiraCall(this.#client, 'boardProjects')(boardId);
  }

  worklog(issueId: string, worklogId: string): Promise<JiraWorklog | null> {
    return requireJiraCall(this.#client, 'worklog')(issueId, worklogId);
  }

  dataCenterUser(ref: DataCenterUserRef): Promise<JiraDataCenterUser | null> {
    return requireJiraCall(this.#client, 'dataCenterUser')(ref);
  }

  /** Sends every pending batch now instead of waiting for its window to close. */
  flush(): void {
    for (const key of [...this.#pending.keys()]) {
      this.#send(key);
    }
  }

  /** Adds at most `maxBatchSize` ids to the open batch of the query, first sending that batch if they would not fit. */
  #enqueue(ids: readonly string[], query: IssueQuery): Promise<JiraIssue[]> {
    const key = queryKey(query);
    const open = this.#pending.get(key);
    const added = open === undefined ? ids.length : ids.filter((id) => !open.ids.has(id)).length;
    if (open !== undefined && open.ids.size + added > this.#maxBatchSize) {
      this.#send(key);
    }

    const batch = this.#openBatch(key, query);
    const result = new Promise<JiraIssue[]>((resolve, reject) => {
      batch.waiters.push({ ids, resolve, reject });
    });
    for (const id of ids) {
      batch.ids.add(id);
    }

    if (batch.ids.size >= this.#maxBatchSize) {
      this.#send(key);
    }

    return result;
  }

  #openBatch(key: string, query: IssueQuery): PendingBatch {
    const existing = this.#pending.get(key);
    if (existing !== undefined) {
      return existing;
    }

    const batch: PendingBatch = { query, ids: new Set(), waiters: [] };
    batch.timer = setTimeout(() => this.#send(key), this.#windowMs);
    this.#pending.set(key, batch);

    return batch;
  }

  /** Closes the batch of `key`, sends its search and hands each waiter its own issues. */
  #send(key: string): void {
    const batch = this.#pending.get(key);
    if (batch === undefined) {
      return;
    }
    this.#pending.delete(key);
    clearTimeout(batch.timer);

    this.#client.issuesById([...batch.ids], batch.query).then(
      (issues) => distribute(batch.waiters, issues),
      (error: unknown) => {
        for (const waiter of batch.waiters) {
          waiter.reject(error);
        }
      },
    );
  }
}

function distribute(waiters: readonly Waiter[], issues: readonly JiraIssue[]): void {
  const byId = new Map(issues.map((issue) => [issue.id, issue]));

  for (const waiter of waiters) {
    const own = waiter.ids.flatMap((id) => {
      const issue = byId.get(id);
      return issue === undefined ? [] : [issue];
    });
    waiter.resolve(own);
  }
}

/** Calls share a batch when the client would send the same JQL, fields and expand for them. */
function queryKey(query: IssueQuery): string {
  return JSON.stringify([query.jql?.trim() ?? '', splitFieldList(query.fields), query.expand?.trim() ?? '']);
}
