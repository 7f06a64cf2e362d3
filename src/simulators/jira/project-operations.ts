import { ConflictError, InvalidInputError } from './errors.js';
import type { ProjectInput, ProjectPatch, ProjectRecord } from './model.js';
import type { JiraStore } from './store.js';
import { projectEventBody, type ProjectEventName } from './webhook-bodies.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

/** Jira project keys: an upper-case letter, then upper-case letters, digits or underscores, at most 10 in all. */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,9}$/;

/** Project lifecycle: create, update, trash, archive, restore and purge, each with its webhook. */
export class ProjectOperations {
  constructor(
    private readonly store: JiraStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /** Validates and stores a project. `load` passes `notify: false` to skip the webhook. */
  create(input: ProjectInput, notify = true): ProjectRecord {
    this.validateKey(input.key);
    if (typeof input.name !== 'string' || input.name.trim() === '') {
      throw new InvalidInputError(`Project "${input.key}" needs a non-empty name.`);
    }
    if (input.id !== undefined && this.store.projects.has(input.id)) {
      throw new ConflictError(`A project with id ${input.id} already exists.`);
    }
    if (input.leadAccountId) this.store.resolveUser(input.leadAccountId);

    const project: ProjectRecord = {
      id: this.store.allocateId('project', input.id),
      key: input.key,
      previousKeys: [],
      name: input.name,
      description: input.description ?? '',
      projectTypeKey: input.projectTypeKey ?? 'software',
      leadAccountId: input.leadAccountId ?? null,
      categoryName: input.categoryName ?? null,
      archivedAt: null,
      deletedAt: null,
      nextIssueNumber: 1,
    };
    this.store.putProject(project);
    if (notify) this.notify('project_created', project);
    return project;
  }

  /** Applies `patch`. A new key re-keys every issue of the project and keeps the old keys as aliases. */
  update(idOrKey: string, patch: ProjectPatch): ProjectRecord {
    const before = this.store.resolveProject(idOrKey);
    if (patch.leadAccountId) this.store.resolveUser(patch.leadAccountId);

    const renamed = patch.key !== undefined && patch.key !== before.key;
    if (renamed) this.validateKey(patch.key!, before.id);

    const project: ProjectRecord = {
      ...before,
      key: patch.key ?? before.key,
      previousKeys: renamed ? [...before.previousKeys, before.key] : before.previousKeys,
      name: patch.name ?? before.name,
      description: patch.description ?? before.description,
      leadAccountId: patch.leadAccountId === undefined ? before.leadAccountId : patch.leadAccountId,
      categoryName: patch.categoryName === undefined ? before.categoryName : patch.categoryName,
    };
    this.store.putProject(project);
    if (renamed) this.rekeyIssues(project);
    this.notify('project_updated', project);
    return project;
  }

  /** Moves the project to the trash. Jira sends only `project_soft_deleted`, no event per issue. */
  softDelete(idOrKey: string): ProjectRecord {
    const before = this.store.resolveProject(idOrKey);
    if (before.deletedAt !== null) throw new InvalidInputError(`Project ${before.key} is already in the trash.`);
    return this.transition(before, { deletedAt: this.store.clock.now() }, 'project_soft_deleted');
  }

  restore(idOrKey: string): ProjectRecord {
    const before = this.store.resolveProject(idOrKey);
    if (before.deletedAt === null) throw new InvalidInputError(`Project ${before.key} is not in the trash; only trashed projects can be restored.`);
    return this.transition(before, { deletedAt: null }, 'project_restored_deleted');
  }

  archive(idOrKey: string): ProjectRecord {
    const before = this.store.resolveProject(idOrKey);
    if (before.archivedAt !== null || before.deletedAt !== null) {
      throw new InvalidInputError(`Project ${before.key} cannot be archived: it is already archived or in the trash.`);
    }
    return this.transition(before, { archivedAt: this.store.clock.now() }, 'project_archived');
  }

  restoreArchived(idOrKey: string): ProjectRecord {
    const before = this.store.resolveProject(idOrKey);
    if (before.archivedAt === null) throw new InvalidInputError(`Project ${before.key} is not archived.`);
    return this.transition(before, { archivedAt: null }, 'project_restored_archived');
  }

  /** Purges the project and its issues. Jira sends `project_deleted` and no `jira:issue_deleted`. */
  purge(idOrKey: string): ProjectRecord {
    const project = this.store.resolveProject(idOrKey);
    const now = this.store.clock.now();
    for (const issue of this.store.issuesOfProject(project.id)) this.store.removeIssue(issue, now);

    this.store.removeProject(project);
    this.notify('project_deleted', project);
    return project;
  }

  private transition(before: ProjectRecord, change: Partial<ProjectRecord>, event: ProjectEventName): ProjectRecord {
    const project = { ...before, ...change };
    this.store.putProject(project);
    this.notify(event, project);
    return project;
  }

  private rekeyIssues(project: ProjectRecord): void {
    const now = this.store.clock.now();
    for (const issue of this.store.issuesOfProject(project.id)) {
      const number = issue.key.slice(issue.key.lastIndexOf('-') + 1);
      this.store.putIssue({ ...issue, key: `${project.key}-${number}`, previousKeys: [...issue.previousKeys, issue.key] }, now);
    }
  }

  private validateKey(key: string, projectId?: string): void {
    if (typeof key !== 'string' || !PROJECT_KEY.test(key)) {
      throw new InvalidInputError(`Invalid project key "${key}"; use an upper-case letter followed by up to 9 upper-case letters, digits or underscores.`);
    }
    if (this.store.isProjectKeyTaken(key, projectId)) {
      throw new ConflictError(`Project key "${key}" is already used by another project (or was used by one before a rename).`);
    }
  }

  private notify(event: ProjectEventName, project: ProjectRecord): void {
    const body = projectEventBody(this.store, event, project, this.store.clock.now());
    this.dispatcher.dispatch(event, body, { project });
  }
}
