/**
 * Shapes of the Jira REST objects the processors fetch. Only the fields the
 * pipeline itself reads are typed; the rest passes through to the mapping.
 */
export interface JiraIssue {
  readonly id: string;
  readonly key: string;
  readonly self?: string;
  readonly fields: Readonly<Record<string, unknown>> & {
    readonly updated?: string;
    readonly project?: { readonly id: string; readonly key: string };
  };
  readonly [field: string]: unknown;
}

export interface JiraProject {
  readonly id: string;
  readonly key: string;
  readonly name?: string;
  readonly self?: string;
  readonly archived?: boolean;
  readonly deleted?: boolean;
  readonly [field: string]: unknown;
}

export interface JiraUser {
  readonly accountId: string;
  readonly displayName?: string;
  readonly active?: boolean;
  readonly [field: string]: unknown;
}

/** Options for issue searches, from the issue resource config's selector. */
export interface IssueQuery {
  /** The user's JQL; may contain ORDER BY, may be empty. */
  readonly jql?: string;
  /** Comma-separated field list, default `*all`. */
  readonly fields?: string;
  /** Comma-separated expand list. */
  readonly expand?: string;
}

/**
 * What the processors ask of Jira. Implementations may batch and coalesce
 * calls (several `issuesById` calls for one query can share one search).
 */
export interface JiraApi {
  /**
   * Fetch issues by id, restricted to the query's JQL, with read-after-write
   * consistency. Ids missing from the result are either deleted or outside
   * the JQL; the caller cannot tell which and treats both as "delete".
   */
  issuesById(ids: readonly string[], query: IssueQuery): Promise<JiraIssue[]>;

  /** Fetch all issues of a project matching the query's JQL (for backfills). */
  issuesOfProject(projectId: string, query: IssueQuery): Promise<JiraIssue[]>;

  /** GET /rest/api/3/project/{idOrKey}; null on 404. */
  project(idOrKey: string, expand?: string): Promise<JiraProject | null>;

  /** GET /rest/api/3/user?accountId=; null on 404. */
  user(accountId: string): Promise<JiraUser | null>;
}

/** One query's result from POST /rest/api/3/jql/parse. */
export interface JqlParseResult {
  readonly query: string;
  /** Parse or validation errors, empty when the query is valid. */
  readonly errors: readonly string[];
  readonly [field: string]: unknown;
}

/** Body of POST /rest/webhooks/1.0/webhook (admin webhooks). */
export interface AdminWebhookInput {
  readonly name: string;
  readonly url: string;
  /** Event names such as `jira:issue_updated` or `project_created`. */
  readonly events: readonly string[];
  /** Filters keyed by filter name, e.g. `{ 'issue-related-events-section': 'project = CAT' }`. */
  readonly filters?: Readonly<Record<string, string>>;
  readonly excludeBody?: boolean;
  /** Secret Jira uses to sign deliveries (`X-Hub-Signature`). */
  readonly secret?: string;
}

/** An admin webhook as GET/POST /rest/webhooks/1.0/webhook return it. */
export interface AdminWebhook {
  readonly name: string;
  readonly url: string;
  readonly events: readonly string[];
  /** URL of the webhook resource. Its last path segment is the webhook id. */
  readonly self?: string;
  readonly enabled?: boolean;
  readonly [field: string]: unknown;
}
