/**
 * Records the simulator stores, and the inputs its callers pass. Records are
 * immutable: every change replaces the record, so the search index can keep
 * earlier versions of an issue without copying.
 */

export interface UserRecord {
  readonly accountId: string;
  readonly displayName: string;
  readonly emailAddress: string | null;
  readonly timeZone: string;
  readonly active: boolean;
  readonly accountType: 'atlassian' | 'app' | 'customer';
  /** Set for a Data Center user: webhooks then carry `name` and `key` instead of `accountId`. */
  readonly dataCenter?: DataCenterIdentity;
}

/** The username and the stable key that identify a Data Center user. */
export interface DataCenterIdentity {
  readonly name: string;
  readonly key: string;
}

export interface ProjectRecord {
  readonly id: string;
  readonly key: string;
  /** Keys the project had before a key change. They still resolve to it. */
  readonly previousKeys: readonly string[];
  readonly name: string;
  readonly description: string;
  readonly projectTypeKey: string;
  readonly leadAccountId: string | null;
  readonly categoryName: string | null;
  readonly archivedAt: number | null;
  /** When the project moved to the trash. Null while it is live or archived. */
  readonly deletedAt: number | null;
  /** The number the next issue created in (or moved to) the project gets. */
  readonly nextIssueNumber: number;
}

export interface CommentRecord {
  readonly id: string;
  readonly body: string;
  readonly authorAccountId: string | null;
  readonly created: number;
  readonly updated: number;
}

export interface IssueRecord {
  readonly id: string;
  readonly key: string;
  /** Keys the issue had before moves or project key changes, oldest first. */
  readonly previousKeys: readonly string[];
  readonly projectId: string;
  readonly summary: string;
  readonly description: string | null;
  readonly statusId: string;
  readonly issueTypeId: string;
  readonly priorityId: string;
  readonly labels: readonly string[];
  readonly components: readonly string[];
  readonly assigneeAccountId: string | null;
  readonly reporterAccountId: string | null;
  readonly creatorAccountId: string | null;
  readonly parentId: string | null;
  readonly created: number;
  readonly updated: number;
  readonly statusCategoryChangedAt: number;
  readonly resolutionDate: number | null;
  readonly comments: readonly CommentRecord[];
}

export interface ProjectInput {
  readonly key: string;
  readonly name: string;
  /** Numeric string. Assigned from 10000 up when absent. */
  readonly id?: string;
  readonly description?: string;
  readonly projectTypeKey?: string;
  readonly leadAccountId?: string | null;
  readonly categoryName?: string | null;
}

export interface ProjectPatch {
  /** A new key renames the project and re-keys its issues. Old keys keep resolving. */
  readonly key?: string;
  readonly name?: string;
  readonly description?: string;
  readonly leadAccountId?: string | null;
  readonly categoryName?: string | null;
}

export interface IssuePatch {
  readonly summary?: string;
  /** Status name or id, such as "In Progress" or "10002". */
  readonly status?: string;
  /** Issue type name or id, such as "Bug". */
  readonly issuetype?: string;
  /** Priority name or id, such as "High". */
  readonly priority?: string;
  readonly labels?: readonly string[];
  readonly components?: readonly string[];
  /** An existing user's account id. Null unassigns. */
  readonly assigneeAccountId?: string | null;
  readonly reporterAccountId?: string | null;
  readonly description?: string | null;
  /** Id of the parent issue. Null removes the parent. */
  readonly parentId?: string | null;
}

export interface IssueInput extends IssuePatch {
  /** Key or id of the project the issue is created in. */
  readonly projectKey: string;
  readonly summary: string;
  /** Numeric string. Assigned from 10000 up when absent. Only `load` accepts it. */
  readonly id?: string;
  /** ISO-8601 timestamps. Only `load` accepts them. */
  readonly created?: string;
  readonly updated?: string;
}

export interface UserInput {
  /** Assigned as `712020:<uuid>` when absent. */
  readonly accountId?: string;
  readonly displayName: string;
  readonly emailAddress?: string | null;
  readonly timeZone?: string;
  readonly active?: boolean;
  readonly accountType?: 'atlassian' | 'app' | 'customer';
  /** Username and key of a Data Center user; both or neither. */
  readonly name?: string;
  readonly key?: string;
}

export interface UserPatch {
  readonly displayName?: string;
  readonly emailAddress?: string | null;
  readonly timeZone?: string;
  readonly active?: boolean;
}

/** Data for `JiraState.load`, applied in the order users, projects, issues. */
export interface JiraSeedData {
  readonly users?: readonly UserInput[];
  readonly projects?: readonly ProjectInput[];
  readonly issues?: readonly IssueInput[];
}

/** A project version, which Port's Jira integration calls a release. */
export interface VersionRecord {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly description: string;
  readonly archived: boolean;
  readonly released: boolean;
  /** `YYYY-MM-DD`, or null when unset. */
  readonly releaseDate: string | null;
  readonly startDate: string | null;
  /** Position in the project's version list; `jira:version_moved` reports a change of it. */
  readonly sequence: number;
}

export interface VersionInput {
  /** Key or id of the project. */
  readonly projectKey: string;
  readonly name: string;
  readonly description?: string;
  /** `YYYY-MM-DD`. */
  readonly releaseDate?: string | null;
  readonly startDate?: string | null;
  readonly released?: boolean;
}

export interface VersionPatch {
  readonly name?: string;
  readonly description?: string;
  readonly releaseDate?: string | null;
  readonly startDate?: string | null;
  readonly archived?: boolean;
}

/** The target position of `moveVersion` in the project's version list, named as Jira's move endpoint names it. */
export type VersionPosition = 'First' | 'Last' | 'Earlier' | 'Later';

export type BoardType = 'scrum' | 'kanban' | 'simple';

/** A Jira Software board. Its filter covers `projectIds`, and the first one is its location. */
export interface BoardRecord {
  readonly id: string;
  readonly name: string;
  readonly type: BoardType;
  readonly projectIds: readonly string[];
}

export interface BoardInput {
  readonly name: string;
  readonly type: BoardType;
  /** Keys or ids of the projects the board's filter covers, at least one. */
  readonly projectKeys: readonly string[];
}

/** The change `changeBoardConfiguration` makes: the projects of the board's filter. */
export interface BoardConfigurationPatch {
  readonly projectKeys?: readonly string[];
}

export type SprintState = 'future' | 'active' | 'closed';

/** A sprint of a scrum board. Dates are epoch ms. */
export interface SprintRecord {
  readonly id: string;
  /** The board the sprint was created on (`originBoardId`). */
  readonly boardId: string;
  readonly name: string;
  readonly state: SprintState;
  readonly goal: string;
  readonly startDate: number | null;
  readonly endDate: number | null;
  readonly completeDate: number | null;
  readonly createdDate: number;
}

export interface SprintInput {
  readonly boardId: string;
  readonly name: string;
  readonly goal?: string;
  /** ISO-8601 timestamps. */
  readonly startDate?: string;
  readonly endDate?: string;
}

export interface SprintPatch {
  readonly name?: string;
  readonly goal?: string;
  readonly startDate?: string;
  readonly endDate?: string;
}

/** Time logged on an issue. Dates are epoch ms. */
export interface WorklogRecord {
  readonly id: string;
  readonly issueId: string;
  readonly authorAccountId: string | null;
  readonly comment: string;
  readonly started: number;
  readonly timeSpentSeconds: number;
  readonly created: number;
  readonly updated: number;
}

export interface WorklogInput {
  readonly timeSpentSeconds: number;
  readonly comment?: string;
  /** ISO-8601. Default now. */
  readonly started?: string;
  readonly authorAccountId?: string;
}

export interface WorklogPatch {
  readonly timeSpentSeconds?: number;
  readonly comment?: string;
  readonly started?: string;
}
