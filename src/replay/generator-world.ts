import type { StreamOperation } from './operations.js';
import { insertAtRandom, type Random } from './random-choice.js';

export type ProjectStatus = 'live' | 'archived' | 'trashed';

/** The facts the generator tracks about one issue, so that it chooses changes that change something. */
export interface IssueFacts {
  projectKey: string;
  status: string;
  priority: string;
  assignee: string | null;
  labels: string[];
}

/**
 * The generator's own view of the simulated site, kept next to the
 * simulator so that choosing an operation never renders Jira objects.
 *
 * `activeIssues` contains the issues of live projects in popularity order:
 * the front is hot. A new or restored issue gets a random rank.
 */
export class GeneratorWorld {
  /** Account ids of active users, the candidates for assignees, reporters and comment authors. */
  readonly users: string[] = [];
  /** Every project that exists, in creation order, so that the first ones are the most popular. */
  readonly projects = new Map<string, ProjectStatus>();
  readonly issues = new Map<string, IssueFacts>();
  readonly activeIssues: string[] = [];
  issuesCreated = 0;
  usersCreated = 0;

  constructor(private readonly random: Random) {}

  liveProjects(): string[] {
    return [...this.projects].filter(([, status]) => status === 'live').map(([key]) => key);
  }

  projectsIn(status: ProjectStatus): string[] {
    return [...this.projects].filter(([, projectStatus]) => projectStatus === status).map(([key]) => key);
  }

  /** Update the bookkeeping after the simulator applied `operation`; `createdIssueId` is set for `createIssue`. */
  record(operation: StreamOperation, createdIssueId?: string): void {
    switch (operation.op) {
      case 'createUser':
        this.users.push(operation.input.accountId as string);
        this.usersCreated += 1;
        return;
      case 'deactivateUser':
        this.users.splice(this.users.indexOf(operation.accountId), 1);
        return;
      case 'createProject':
        this.projects.set(operation.input.key, 'live');
        return;
      case 'archiveProject':
      case 'softDeleteProject':
        this.leaveProject(operation.projectKey, operation.op === 'archiveProject' ? 'archived' : 'trashed');
        return;
      case 'restoreArchivedProject':
      case 'restoreProject':
        this.returnProject(operation.projectKey);
        return;
      case 'purgeProject':
        this.purgeProject(operation.projectKey);
        return;
      default:
        this.recordIssueOperation(operation, createdIssueId);
    }
  }

  private recordIssueOperation(operation: StreamOperation, createdIssueId: string | undefined): void {
    switch (operation.op) {
      case 'createIssue':
        this.issues.set(createdIssueId as string, {
          projectKey: operation.input.projectKey,
          status: 'To Do',
          priority: operation.input.priority ?? 'Medium',
          assignee: operation.input.assigneeAccountId ?? null,
          labels: [...(operation.input.labels ?? [])],
        });
        insertAtRandom(this.random, this.activeIssues, createdIssueId as string);
        this.issuesCreated += 1;
        return;
      case 'updateIssue':
        this.patchIssue(operation.issueId, operation.patch);
        return;
      case 'moveIssue':
        this.facts(operation.issueId).projectKey = operation.projectKey;
        return;
      case 'deleteIssue':
        this.issues.delete(operation.issueId);
        this.activeIssues.splice(this.activeIssues.indexOf(operation.issueId), 1);
        return;
      default:
        return;
    }
  }

  facts(issueId: string): IssueFacts {
    const facts = this.issues.get(issueId);
    if (facts === undefined) throw new RangeError(`the generator does not know issue ${issueId}`);
    return facts;
  }

  private patchIssue(issueId: string, patch: Extract<StreamOperation, { op: 'updateIssue' }>['patch']): void {
    const facts = this.facts(issueId);
    if (patch.status !== undefined) facts.status = patch.status;
    if (patch.priority !== undefined) facts.priority = patch.priority;
    if (patch.assigneeAccountId !== undefined) facts.assignee = patch.assigneeAccountId;
    if (patch.labels !== undefined) facts.labels = [...patch.labels];
  }

  /** Archived and trashed projects are read-only, so their issues leave the candidates for changes. */
  private leaveProject(projectKey: string, status: ProjectStatus): void {
    this.projects.set(projectKey, status);
    const leaving = new Set(this.issuesOf(projectKey));
    const staying = this.activeIssues.filter((issueId) => !leaving.has(issueId));
    this.activeIssues.splice(0, this.activeIssues.length, ...staying);
  }

  private returnProject(projectKey: string): void {
    this.projects.set(projectKey, 'live');
    for (const issueId of this.issuesOf(projectKey)) insertAtRandom(this.random, this.activeIssues, issueId);
  }

  private purgeProject(projectKey: string): void {
    for (const issueId of this.issuesOf(projectKey)) this.issues.delete(issueId);
    this.projects.delete(projectKey);
  }

  private issuesOf(projectKey: string): string[] {
    return [...this.issues].filter(([, facts]) => facts.projectKey === projectKey).map(([issueId]) => issueId);
  }
}
