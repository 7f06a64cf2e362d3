import type { Logger } from '../core/logger.js';
import { JiraRequestError } from './errors.js';
import { composeIssueJql, composeProjectIssuesJql, requireNumericId } from './jql.js';
import { JiraRateLimiter } from './rate-limiter.js';
import { JiraTransport, type JiraAuth, type JiraRequestInfo } from './transport.js';
import type {
  AdminWebhook, AdminWebhookInput, DataCenterUserRef, IssueQuery, JiraApi, JiraBoard, JiraDataCenterUser, JiraIssue, JiraProject,
  JiraSprint, JiraUser, JiraVersion, JiraWorklog, JqlParseResult,
} from './types.js';

export type { JiraAuth, JiraRequestInfo } from './transport.js';

export interface JiraClientOptions {
  /** Site URL such as `https://example.atlassian.net`. It is required and has no default. */
  readonly baseUrl: string;
  readonly auth: JiraAuth;
  /** Per-attempt timeout in ms. Default 30000. */
  readonly timeoutMs?: number;
  /** `limit`: maximum retries after the first attempt. Default 5. */
  readonly retry?: { readonly limit?: number };
  /** Maximum requests in flight when the client creates its own limiter. Default 8, and ignored when `limiter` is set. */
  readonly concurrency?: number;
  /** The site's shared limiter; pass the same instance to every client of one site. */
  readonly limiter?: JiraRateLimiter;
  readonly logger?: Logger;
  /** Called after every attempt, for metrics. */
  readonly onRequest?: (info: JiraRequestInfo) => void;
}

/** Options of POST /rest/api/3/search/jql. */
export interface SearchJqlOptions {
  readonly jql: string;
  /** Comma-separated field list. Default `*all`, because the endpoint itself defaults to `id` only. */
  readonly fields?: string;
  /** Comma-separated expand list, e.g. `changelog,renderedFields`. */
  readonly expand?: string;
  /** Issue ids to read with read-after-write consistency (at most 50, all must exist). */
  readonly reconcileIssues?: readonly string[];
  /** Page size. Default 50, as in Jira. Jira may return fewer issues per page. */
  readonly maxResults?: number;
}

interface SearchPage {
  readonly issues?: unknown;
  readonly nextPageToken?: string;
  readonly isLast?: boolean;
}

/** A page of a Jira Software list endpoint such as GET /rest/agile/1.0/board/{boardId}/project. */
interface AgilePage<T> {
  readonly values?: readonly T[];
  readonly isLast?: boolean;
  readonly maxResults?: number;
}

/** Page size of Jira Software list calls; Jira's default and maximum is 50. */
const AGILE_PAGE_SIZE = 50;

/** Maximum ids per search: Jira accepts at most 50 `reconcileIssues`. */
export const MAX_RECONCILE_IDS = 50;

/** Deleted issue ids remembered; a forgotten one only costs the probe it saved. */
const MAX_DELETED_IDS = 100_000;

const SEARCH_TEMPLATE = '/rest/api/3/search/jql';
const ADMIN_WEBHOOK_TEMPLATE = '/rest/webhooks/1.0/webhook';

/**
 * Jira Cloud REST client for the calls the pipeline makes. Every request
 * passes through the site's shared JiraRateLimiter, is retried on 408, 429,
 * 5xx, network errors and timeouts, and fails with JiraRequestError (or
 * JiraAuthError on 401 and 403) otherwise. The token and the Authorization
 * header are never logged.
 */
export class JiraClient implements JiraApi {
  readonly limiter: JiraRateLimiter;
  readonly #transport: JiraTransport;
  /** Ids `jira:issue_deleted` reported; the oldest are forgotten past `MAX_DELETED_IDS`. */
  readonly #deletedIssues = new Set<string>();
  /** Ids whose GET returned 404 in the last 10 minutes, at most 100,000. */

  constructor(options: JiraClientOptions) {
    this.limiter = options.limiter ?? new JiraRateLimiter({ concurrency: options.concurrency ?? 8 });
    this.#transport = new JiraTransport({
      baseUrl: options.baseUrl,
      auth: options.auth,
      limiter: this.limiter,
      timeoutMs: options.timeoutMs ?? 30_000,
      retryLimit: options.retry?.limit ?? 5,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    });
  }

  /** Runs a JQL search, follows `nextPageToken` until the last page and returns every issue found. */
  async searchJql(options: SearchJqlOptions): Promise<JiraIssue[]> {
    const issues: JiraIssue[] = [];
    const seenTokens = new Set<string>();
    let nextPageToken: string | undefined;

    do {
      const page = await this.#transport.send<SearchPage>({
        method: 'POST',
        template: SEARCH_TEMPLATE,
        path: SEARCH_TEMPLATE.slice(1),
        json: searchBody(options, nextPageToken),
      });
      issues.push(...readIssues(page));

      nextPageToken = page.isLast === true ? undefined : page.nextPageToken;
      if (nextPageToken !== undefined && seenTokens.has(nextPageToken)) {
        throw repeatedTokenError(nextPageToken);
      }
      if (nextPageToken !== undefined) {
        seenTokens.add(nextPageToken);
      }
    } while (nextPageToken !== undefined);

    return issues;
  }

  /**
   * Fetches issues by id, restricted to the query's JQL, reading the ids with
   * read-after-write consistency (`reconcileIssues`). Sends one search per 50
   * ids. Ids that do not exist, or that the JQL excludes, are missing from
   * the result.
   */
  async issuesById(ids: readonly string[], query: IssueQuery): Promise<JiraIssue[]> {
    const uniqueIds = [...new Set(ids.map((id) => requireNumericId('issue', id)))];
    const chunks: string[][] = [];
    for (let start = 0; start < uniqueIds.length; start += MAX_RECONCILE_IDS) {
      chunks.push(uniqueIds.slice(start, start + MAX_RECONCILE_IDS));
    }

    const results = await Promise.all(chunks.map((chunk) => this.#searchReconciled(chunk, query)));

    return results.flat();
  }

  /** Fetches every issue of a project that matches the query's JQL (for backfills). Reads from the search index, which may lag. */
  async issuesOfProject(projectId: string, query: IssueQuery): Promise<JiraIssue[]> {
    return this.searchJql({
      jql: composeProjectIssuesJql(query.jql, projectId),
      ...fieldsAndExpand(query),
      maxResults: 100,
    });
  }

  /** Fetches a project with GET /rest/api/3/project/{idOrKey}. Returns null on 404, which Jira also returns for trashed projects. */
  async project(idOrKey: string, expand?: string): Promise<JiraProject | null> {
    return this.#transport.sendOrNull<JiraProject>({
      method: 'GET',
      template: '/rest/api/3/project/{projectIdOrKey}',
      path: `rest/api/3/project/${encodeURIComponent(idOrKey)}`,
      ...(expand ? { searchParams: new URLSearchParams({ expand }) } : {}),
    });
  }

  markIssueDeleted(issueId: string): void {
    this.#deletedIssues.add(issueId);
    if (this.#deletedIssues.size > MAX_DELETED_IDS) {
      const oldest = this.#deletedIssues.values().next().value;
      if (oldest !== undefined) this.#deletedIssues.delete(oldest);
    }
  }

  /** Fetches a user with GET /rest/api/3/user?accountId=. Returns null on 404, though a deleted account may also come back with `active: false`. */
  async user(accountId: string): Promise<JiraUser | null> {
    return this.#transport.sendOrNull<JiraUser>({
      method: 'GET',
      template: '/rest/api/3/user',
      path: 'rest/api/3/user',
      searchParams: new URLSearchParams({ accountId }),
    });
  }

  /** Fetches a version (a release) with GET /rest/api/3/version/{id}. Returns null on 404. */
  async version(id: string): Promise<JiraVersion | null> {
    return this.#transport.sendOrNull<JiraVersion>({
      method: 'GET',
      template: '/rest/api/3/version/{id}',
      path: `rest/api/3/version/${encodeURIComponent(id)}`,
    });
  }

  /** Fetches a sprint with GET /rest/agile/1.0/sprint/{sprintId} (Jira Software). Returns null on 404. */
  async sprint(id: string): Promise<JiraSprint | null> {
    return this.#transport.sendOrNull<JiraSprint>({
      method: 'GET',
      template: '/rest/agile/1.0/sprint/{sprintId}',
      path: `rest/agile/1.0/sprint/${encodeURIComponent(id)}`,
    });
  }

  /** Fetches a board with GET /rest/agile/1.0/board/{boardId} (Jira Software). Returns null on 404. */
  async board(id: string): Promise<JiraBoard | null> {
    return this.#transport.sendOrNull<JiraBoard>({
      method: 'GET',
      template: '/rest/agile/1.0/board/{boardId}',
      path: `rest/agile/1.0/board/${encodeURIComponent(id)}`,
    });
  }

  /**
   * Fetches every project of a board, following GET /rest/agile/1.0/board/{boardId}/project
   * page by page until `isLast`, an empty page, or (without `isLast`) a short page.
   * Returns null when the board answers 404.
   */
  async boardProjects(boardId: string): Promise<JiraProject[] | null> {
    const projects: JiraProject[] = [];

    for (let startAt = 0; ; startAt += AGILE_PAGE_SIZE) {
      const page = await this.#transport.sendOrNull<AgilePage<JiraProject>>({
        method: 'GET',
        template: '/rest/agile/1.0/board/{boardId}/project',
        path: `rest/agile/1.0/board/${encodeURIComponent(boardId)}/project`,
        searchParams: new URLSearchParams({ startAt: String(startAt), maxResults: String(AGILE_PAGE_SIZE) }),
      });
      if (page === null) return startAt === 0 ? null : projects;

      const values = page.values ?? [];
      projects.push(...values);
      const short = values.length < (page.maxResults ?? AGILE_PAGE_SIZE);
      if (values.length === 0 || page.isLast === true || (page.isLast === undefined && short)) return projects;
    }
  }

  /** Fetches one worklog with GET /rest/api/3/issue/{issueId}/worklog/{id}. Returns null on 404. */
  async worklog(issueId: string, worklogId: string): Promise<JiraWorklog | null> {
    return this.#transport.sendOrNull<JiraWorklog>({
      method: 'GET',
      template: '/rest/api/3/issue/{issueIdOrKey}/worklog/{id}',
      path: `rest/api/3/issue/${encodeURIComponent(issueId)}/worklog/${encodeURIComponent(worklogId)}`,
    });
  }

  /**
   * Fetches a Data Center user with GET /rest/api/2/user?key= (or ?username=
   * when only the name is known). Returns null on 404. Jira Cloud has no such
   * lookup: there, `user(accountId)` applies.
   */
  async dataCenterUser(ref: DataCenterUserRef): Promise<JiraDataCenterUser | null> {
    const searchParams = 'key' in ref ? new URLSearchParams({ key: ref.key }) : new URLSearchParams({ username: ref.name });
    return this.#transport.sendOrNull<JiraDataCenterUser>({
      method: 'GET',
      template: '/rest/api/2/user',
      path: 'rest/api/2/user',
      searchParams,
    });
  }

  /** Validates JQL queries with POST /rest/api/3/jql/parse (strict validation) and returns one result per query, in order. */
  async parseJql(queries: readonly string[]): Promise<JqlParseResult[]> {
    const body = await this.#transport.send<{ queries?: JqlParseResult[] }>({
      method: 'POST',
      template: '/rest/api/3/jql/parse',
      path: 'rest/api/3/jql/parse',
      searchParams: new URLSearchParams({ validation: 'strict' }),
      json: { queries },
    });

    return body.queries ?? [];
  }

  /** Returns whether the credentials have the Administer Jira global permission, which admin webhooks need. */
  async hasAdminPermission(): Promise<boolean> {
    const body = await this.#transport.send<{ permissions?: Record<string, { havePermission?: boolean }> }>({
      method: 'GET',
      template: '/rest/api/3/mypermissions',
      path: 'rest/api/3/mypermissions',
      searchParams: new URLSearchParams({ permissions: 'ADMINISTER' }),
    });

    return body.permissions?.['ADMINISTER']?.havePermission === true;
  }

  /** Lists the site's admin webhooks (GET /rest/webhooks/1.0/webhook). */
  async listAdminWebhooks(): Promise<AdminWebhook[]> {
    const body = await this.#transport.send<AdminWebhook[]>({
      method: 'GET',
      template: ADMIN_WEBHOOK_TEMPLATE,
      path: ADMIN_WEBHOOK_TEMPLATE.slice(1),
    });

    return Array.isArray(body) ? body : [];
  }

  /**
   * Registers an admin webhook. Needs Administer Jira (else JiraAuthError).
   * Retried only on 408 and 429, because a retry after a 5xx could register
   * the webhook twice.
   */
  async createAdminWebhook(body: AdminWebhookInput): Promise<AdminWebhook> {
    return this.#transport.send<AdminWebhook>({
      method: 'POST',
      template: ADMIN_WEBHOOK_TEMPLATE,
      path: ADMIN_WEBHOOK_TEMPLATE.slice(1),
      json: body,
      idempotent: false,
    });
  }

  /**
   * Searches up to 50 ids with `reconcileIssues`, leaving out ids that a
   * `jira:issue_deleted` delivery reported deleted. An id that returned 404
   * earlier is still searched: the issues of a trashed project return 404
   * and come back when it is restored. Jira rejects the
   * whole search with 400 when a reconciled issue does not exist, so on a
   * 400 the ids that still exist are found (`#existingIds`) and searched
   * again. A 400 with every id present is rethrown.
   */
  async #searchReconciled(requested: readonly string[], query: IssueQuery): Promise<JiraIssue[]> {
    const ids = requested.filter((id) => !this.#deletedIssues.has(id));
    if (ids.length === 0) return [];

    try {
      return await this.#searchIds(ids, query);
    } catch (error) {
      if (!(error instanceof JiraRequestError) || error.status !== 400) {
        throw error;
      }

      // NOTE: Jira's 400 text for a missing reconciled issue is not documented, so every 400 is
      // checked this way. A 400 for another reason (such as invalid JQL) costs the checks first.
      let existing = await this.#existingIds(ids);
      if (existing.length === ids.length) {
        // Every id is indexed: the 400 has another cause, or an indexed issue was deleted a moment ago.
        existing = await this.#filterExisting(ids);
      }
      if (existing.length === ids.length) {
        throw error;
      }

      // Each retry searches fewer ids, so the retries end.
      return existing.length === 0 ? [] : this.#searchReconciled(existing, query);
    }
  }

  /**
   * Returns the ids that still exist, in input order, with few requests: one
   * search without `reconcileIssues` reads which ids the search index has,
   * and only the ids it lacks are checked with GET /issue/{id}, because the
   * index lags and may not have an issue created a moment ago yet.
   */
  async #existingIds(ids: readonly string[]): Promise<string[]> {
    const indexed = await this.searchJql({ jql: composeIssueJql(undefined, ids), fields: 'id', maxResults: ids.length });
    const indexedIds = new Set(indexed.map((issue) => String(issue.id)));
    const confirmed = new Set(await this.#filterExisting(ids.filter((id) => !indexedIds.has(id))));

    return ids.filter((id) => indexedIds.has(id) || confirmed.has(id));
  }

  async #searchIds(ids: readonly string[], query: IssueQuery): Promise<JiraIssue[]> {
    return this.searchJql({
      jql: composeIssueJql(query.jql, ids),
      ...fieldsAndExpand(query),
      reconcileIssues: ids,
      maxResults: ids.length,
    });
  }

  /** Returns the ids that GET /rest/api/3/issue/{id} still finds, in their input order. */
  async #filterExisting(ids: readonly string[]): Promise<string[]> {
    const found = await Promise.all(ids.map((id) => this.#transport.sendOrNull<{ id: string }>({
      method: 'GET',
      template: '/rest/api/3/issue/{issueIdOrKey}',
      path: `rest/api/3/issue/${id}`,
      searchParams: new URLSearchParams({ fields: 'id' }),
    })));

    return ids.filter((_, index) => found[index] !== null);
  }
}

function searchBody(options: SearchJqlOptions, nextPageToken: string | undefined): Record<string, unknown> {
  return {
    jql: options.jql,
    fields: splitFieldList(options.fields),
    maxResults: options.maxResults ?? 50,
    ...(options.expand ? { expand: options.expand } : {}),
    ...(options.reconcileIssues ? { reconcileIssues: options.reconcileIssues.map(Number) } : {}),
    ...(nextPageToken === undefined ? {} : { nextPageToken }),
  };
}

/** Splits a comma-separated field list and trims each name. An empty or missing list means `*all`. */
export function splitFieldList(fields: string | undefined): string[] {
  const names = (fields ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');

  return names.length === 0 ? ['*all'] : names;
}

function fieldsAndExpand(query: IssueQuery): Pick<SearchJqlOptions, 'fields' | 'expand'> {
  return {
    ...(query.fields === undefined ? {} : { fields: query.fields }),
    ...(query.expand === undefined ? {} : { expand: query.expand }),
  };
}

function readIssues(page: SearchPage): JiraIssue[] {
  if (!Array.isArray(page.issues)) {
    throw new JiraRequestError(
      { method: 'POST', endpoint: SEARCH_TEMPLATE, status: 200, attempts: 1 },
      `Jira search response has no "issues" array; check that the base URL points at a Jira Cloud site.`,
    );
  }

  return page.issues as JiraIssue[];
}

function repeatedTokenError(token: string): JiraRequestError {
  return new JiraRequestError(
    { method: 'POST', endpoint: SEARCH_TEMPLATE, status: 200, attempts: 1 },
    `Jira search returned nextPageToken ${JSON.stringify(token)} a second time; stopped paging to avoid an endless loop.`,
  );
}
