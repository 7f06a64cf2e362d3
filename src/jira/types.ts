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

/** A Data Center user: `key` and `name` (the username) instead of an `accountId`. */
export interface JiraDataCenterUser {
  readonly key?: string;
  readonly name?: string;
  readonly displayName?: string;
  readonly active?: boolean;
  readonly [field: string]: unknown;
}

/** The lookup of a Data Center user: by key, which is stable, or by username, which can be renamed. */
export type DataCenterUserRef = { readonly key: string } | { readonly name: string };

/** A project version (a release), as GET /rest/api/3/version/{id} returns it. */
export interface JiraVersion {
  readonly id: string;
  readonly name?: string;
  /** A number in REST responses. */
  readonly projectId?: number | string;
  readonly released?: boolean;
  readonly archived?: boolean;
  readonly [field: string]: unknown;
}

/** A sprint, as GET /rest/agile/1.0/sprint/{sprintId} returns it. Ids are numbers. */
export interface JiraSprint {
  readonly id: number | string;
  readonly name?: string;
  /** `future`, `active` or `closed`. */
  readonly state?: string;
  readonly originBoardId?: number;
  readonly [field: string]: unknown;
}

/** A board, as GET /rest/agile/1.0/board/{boardId} returns it. Ids are numbers. */
export interface JiraBoard {
  readonly id: number | string;
  readonly name?: string;
  /** `scrum`, `kanban` or `simple`. */
  readonly type?: string;
  readonly [field: string]: unknown;
}

/** A worklog, as GET /rest/api/3/issue/{issueIdOrKey}/worklog/{id} returns it. */
export interface JiraWorklog {
  readonly id: string;
  readonly issueId: string;
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
 * The Jira calls the processors make. Implementations may batch and coalesce
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

  /**
   * Note that Jira reported this issue deleted (`jira:issue_deleted`). Jira
   * never reuses issue ids, so later fetches may leave the id out of their
   * searches: a reconciled search with a missing id fails as a whole.
   */
  markIssueDeleted?(issueId: string): void;

  // The calls below are optional so that a host's own JiraApi written for
  // issues, projects and users still compiles. The processors that need one
  // fail with JiraCallUnavailableError when it is missing.

  /** GET /rest/api/3/version/{id}; null on 404. */
  version?(id: string): Promise<JiraVersion | null>;

  /** GET /rest/agile/1.0/sprint/{sprintId}; null on 404. */
  sprint?(id: string): Promise<JiraSprint | null>;

  /** GET /rest/agile/1.0/board/{boardId}; null on 404. */
  board?(id: string): Promise<JiraBoard | null>;

  /** Every page of GET /rest/agile/1.0/board/{boardId}/project; null on 404. */
  boardProjects?(boardId: string): Promise<JiraProject[] | null>;

  /** GET /rest/api/3/issue/{issueId}/worklog/{worklogId}; null on 404. */
  worklog?(issueId: string, worklogId: string): Promise<JiraWorklog | null>;

  /** Data Center: GET /rest/api/2/user?key= (or ?username=); null on 404. */
  dataCenterUser?(ref: DataCenterUserRef): Promise<JiraDataCenterUser | null>;
}

/** The optional JiraApi calls, by name. */
export type OptionalJiraCall = 'version' | 'sprint' | 'board' | 'boardProjects' | 'worklog' | 'dataCenterUser';

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
