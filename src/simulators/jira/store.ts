import { findIssueType, findPriority, findStatus } from './catalog.js';
import { NotFoundError } from './errors.js';
import type { JqlSubject } from './jql-fields.js';
import type { BoardRecord, DataCenterIdentity, IssueRecord, ProjectRecord, SprintRecord, UserRecord, VersionRecord, WorklogRecord } from './model.js';
import type { ProjectInsight } from './project-representations.js';
import type { RenderContext } from './representations.js';
import { SearchIndex } from './search-index.js';
import { MonotonicClock } from './time.js';
import { actorRecord } from './webhook-bodies.js';

/** Ids in Jira Cloud start at 10000 for issues, projects, comments, versions and worklogs. */
const FIRST_ID = 10_000;

export type IdKind = 'issue' | 'project' | 'comment' | 'changelog' | 'version' | 'worklog' | 'board' | 'sprint';

/** Jira Software numbers boards and sprints from 1. */
function firstIds(): Record<IdKind, number> {
  return { issue: FIRST_ID, project: FIRST_ID, comment: FIRST_ID, changelog: FIRST_ID, version: FIRST_ID, worklog: FIRST_ID, board: 1, sprint: 1 };
}

/**
 * The simulated site's data: users, projects and issues, with the key
 * aliases that keep old keys resolving after moves and renames, and the
 * search index. It resolves references for the representation builders.
 * It sends no webhooks. The operations classes do that.
 */
export class JiraStore implements RenderContext {
  baseUrl = 'http://127.0.0.1';
  readonly clock = new MonotonicClock();
  readonly index = new SearchIndex();
  readonly users = new Map<string, UserRecord>();
  readonly projects = new Map<string, ProjectRecord>();
  readonly issues = new Map<string, IssueRecord>();
  readonly versions = new Map<string, VersionRecord>();
  readonly boards = new Map<string, BoardRecord>();
  readonly sprints = new Map<string, SprintRecord>();
  readonly worklogs = new Map<string, WorklogRecord>();
  /** Every key an issue has had, upper-cased, mapped to the issue id. */
  private readonly issueKeys = new Map<string, string>();
  /** Every key a project has had, upper-cased, mapped to the project id. */
  private readonly projectKeys = new Map<string, string>();
  private readonly namedIds = new Map<string, string>();
  private nextIds: Record<IdKind, number> = firstIds();

  /** Returns the next free numeric id of `kind` as a string. Explicit ids move the counter past them. */
  allocateId(kind: IdKind, explicit?: string): string {
    const id = explicit ?? String(this.nextIds[kind]);
    this.nextIds[kind] = Math.max(this.nextIds[kind], Number(id) + 1);
    return id;
  }

  findUser(accountId: string): UserRecord | undefined {
    return this.users.get(accountId) ?? (accountId === actorRecord().accountId ? actorRecord() : undefined);
  }

  findProjectById(id: string): ProjectRecord | undefined {
    return this.projects.get(id);
  }

  findIssueById(id: string): IssueRecord | undefined {
    return this.issues.get(id);
  }

  subtasksOf(issueId: string): IssueRecord[] {
    return [...this.issues.values()].filter((issue) => issue.parentId === issueId && findIssueType(issue.issueTypeId).subtask);
  }

  namedId(kind: 'component' | 'category', name: string): string {
    const key = `${kind}:${name}`;
    const existing = this.namedIds.get(key);
    if (existing !== undefined) return existing;

    const id = String(FIRST_ID + this.namedIds.size);
    this.namedIds.set(key, id);
    return id;
  }

  /** Finds a project by id, current key or earlier key, in any state. Throws `NotFoundError`. */
  resolveProject(idOrKey: string): ProjectRecord {
    const id = this.projectKeys.get(idOrKey.toUpperCase()) ?? idOrKey;
    const project = this.projects.get(id);
    if (project === undefined) {
      throw new NotFoundError('project', idOrKey, `No project could be found with key or id '${idOrKey}'.`);
    }
    return project;
  }

  /** Finds an issue by id, current key or earlier key. Throws `NotFoundError`. */
  resolveIssue(idOrKey: string): IssueRecord {
    const id = this.issueKeys.get(idOrKey.toUpperCase()) ?? idOrKey;
    const issue = this.issues.get(id);
    if (issue === undefined) {
      throw new NotFoundError('issue', idOrKey, 'Issue does not exist or you do not have permission to see it.');
    }
    return issue;
  }

  /** Finds a Data Center user by key or by username. */
  findDataCenterUser(lookup: Partial<DataCenterIdentity>): UserRecord | undefined {
    return [...this.users.values()].find((user) => {
      const identity = user.dataCenter;
      if (identity === undefined) return false;
      return lookup.key !== undefined ? identity.key === lookup.key : identity.name === lookup.name;
    });
  }

  resolveUser(accountId: string): UserRecord {
    const user = this.findUser(accountId);
    if (user === undefined) {
      throw new NotFoundError('user', accountId, `The user with account ID '${accountId}' does not exist.`);
    }
    return user;
  }

  isProjectKeyTaken(key: string, exceptProjectId?: string): boolean {
    const owner = this.projectKeys.get(key.toUpperCase());
    return owner !== undefined && owner !== exceptProjectId;
  }

  /** Stores a project version and registers its current key. */
  putProject(project: ProjectRecord): void {
    this.projects.set(project.id, project);
    this.projectKeys.set(project.key.toUpperCase(), project.id);
  }

  /** Removes the project and its versions. Boards keep it in their filter, but their project lists skip it. */
  removeProject(project: ProjectRecord): void {
    this.projects.delete(project.id);
    for (const key of [project.key, ...project.previousKeys]) this.projectKeys.delete(key.toUpperCase());
    for (const version of [...this.versions.values()]) {
      if (version.projectId === project.id) this.versions.delete(version.id);
    }
  }

  /** Stores an issue version, registers its key, and indexes it for searches from `indexedAt` on. */
  putIssue(issue: IssueRecord, indexedAt: number): void {
    this.issues.set(issue.id, issue);
    this.issueKeys.set(issue.key.toUpperCase(), issue.id);
    this.index.record(issue.id, issue, indexedAt);
  }

  /** Removes the issue, its keys and its worklogs, and drops it from searches from `indexedAt` on. */
  removeIssue(issue: IssueRecord, indexedAt: number): void {
    this.issues.delete(issue.id);
    for (const worklog of [...this.worklogs.values()]) {
      if (worklog.issueId === issue.id) this.worklogs.delete(worklog.id);
    }
    for (const key of [issue.key, ...issue.previousKeys]) this.issueKeys.delete(key.toUpperCase());
    this.index.record(issue.id, null, indexedAt);
  }

  issuesOfProject(projectId: string): IssueRecord[] {
    return [...this.issues.values()].filter((issue) => issue.projectId === projectId);
  }

  /** Whether searches may return issues of this project: not archived and not in the trash. */
  isSearchable(projectId: string): boolean {
    const project = this.projects.get(projectId);
    return project !== undefined && project.archivedAt === null && project.deletedAt === null;
  }

  insight(projectId: string): ProjectInsight {
    const issues = this.issuesOfProject(projectId);
    const lastUpdate = issues.reduce<number | null>((latest, issue) => Math.max(latest ?? 0, issue.updated), null);
    return { totalIssueCount: issues.length, lastIssueUpdateTime: lastUpdate };
  }

  /** Builds the facts JQL reads from an issue version, with its project as it is now. */
  subject(issue: IssueRecord): JqlSubject {
    const project = this.projects.get(issue.projectId);
    const status = findStatus(issue.statusId);
    const issueType = findIssueType(issue.issueTypeId);
    const priority = findPriority(issue.priorityId);
    return {
      id: issue.id,
      keys: [issue.key, ...issue.previousKeys],
      project: { id: issue.projectId, keys: project === undefined ? [] : [project.key, ...project.previousKeys], name: project?.name ?? '' },
      status: { id: status.id, name: status.name },
      statusCategory: { id: String(status.category.id), key: status.category.key, name: status.category.name },
      issuetype: { id: issueType.id, name: issueType.name },
      priority: { id: priority.id, name: priority.name },
      labels: issue.labels,
      assignee: issue.assigneeAccountId,
      reporter: issue.reporterAccountId,
      summary: issue.summary,
      created: issue.created,
      updated: issue.updated,
    };
  }

  clear(): void {
    this.users.clear();
    this.projects.clear();
    this.issues.clear();
    this.versions.clear();
    this.boards.clear();
    this.sprints.clear();
    this.worklogs.clear();
    this.issueKeys.clear();
    this.projectKeys.clear();
    this.namedIds.clear();
    this.index.clear();
    this.nextIds = firstIds();
  }
}
