import { InvalidInputError, NotFoundError } from './errors.js';
import type { ProjectRecord, VersionInput, VersionPatch, VersionPosition, VersionRecord } from './model.js';
import type { JiraStore } from './store.js';
import { versionEventBody, type VersionEventName } from './webhook-bodies.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

/** Jira's version dates: `YYYY-MM-DD`. */
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Version (release) changes, each with its `jira:version_*` webhook. A merge
 * deletes the version and sends `jira:version_deleted` with `mergedTo`, as
 * Jira Cloud does; there is no separate merge event.
 */
export class VersionOperations {
  constructor(
    private readonly store: JiraStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  create(input: VersionInput, notify = true): VersionRecord {
    const project = this.requireLiveProject(input.projectKey);
    this.requireName(input.name, project);

    const version: VersionRecord = {
      id: this.store.allocateId('version'),
      projectId: project.id,
      name: input.name,
      description: input.description ?? '',
      archived: false,
      released: input.released ?? false,
      releaseDate: checkDate(input.releaseDate ?? null, 'releaseDate'),
      startDate: checkDate(input.startDate ?? null, 'startDate'),
      sequence: this.versionsOf(project.id).length + 1,
    };
    this.store.versions.set(version.id, version);
    if (notify) this.notify('jira:version_created', version);
    return version;
  }

  update(id: string, patch: VersionPatch): VersionRecord {
    const before = this.writable(id);
    if (patch.name !== undefined && patch.name !== before.name) this.requireName(patch.name, this.store.resolveProject(before.projectId));

    return this.commit({
      ...before,
      name: patch.name ?? before.name,
      description: patch.description ?? before.description,
      releaseDate: patch.releaseDate === undefined ? before.releaseDate : checkDate(patch.releaseDate, 'releaseDate'),
      startDate: patch.startDate === undefined ? before.startDate : checkDate(patch.startDate, 'startDate'),
      archived: patch.archived ?? before.archived,
    }, 'jira:version_updated');
  }

  /** Marks the version released; the release date defaults to today (UTC). */
  release(id: string, releaseDate?: string): VersionRecord {
    const before = this.writable(id);
    if (before.released) throw new InvalidInputError(`Version ${before.name} is already released.`);
    const date = checkDate(releaseDate ?? before.releaseDate ?? new Date(this.store.clock.now()).toISOString().slice(0, 10), 'releaseDate');
    return this.commit({ ...before, released: true, releaseDate: date }, 'jira:version_released');
  }

  unrelease(id: string): VersionRecord {
    const before = this.writable(id);
    if (!before.released) throw new InvalidInputError(`Version ${before.name} is not released.`);
    return this.commit({ ...before, released: false }, 'jira:version_unreleased');
  }

  /** Moves the version in its project's list and renumbers the list. */
  move(id: string, position: VersionPosition): VersionRecord {
    const version = this.writable(id);
    const ordered = this.versionsOf(version.projectId).filter((other) => other.id !== version.id);
    const index = this.versionsOf(version.projectId).findIndex((other) => other.id === version.id);
    const target = { First: 0, Last: ordered.length, Earlier: Math.max(0, index - 1), Later: Math.min(ordered.length, index + 1) }[position];
    if (target === undefined) throw new InvalidInputError(`Invalid position "${String(position)}"; use First, Last, Earlier or Later.`);

    ordered.splice(target, 0, version);
    ordered.forEach((other, i) => this.store.versions.set(other.id, { ...other, sequence: i + 1 }));
    const moved = this.resolve(id);
    this.notify('jira:version_moved', moved);
    return moved;
  }

  /** Deletes the version. With `mergeInto`, the webhook carries that version as `mergedTo`. */
  delete(id: string, mergeInto?: string): VersionRecord {
    const version = this.writable(id);
    const target = mergeInto === undefined ? undefined : this.resolve(mergeInto);
    if (target !== undefined && (target.id === version.id || target.projectId !== version.projectId)) {
      throw new InvalidInputError(`Version ${version.name} can only be merged into another version of the same project.`);
    }

    this.store.versions.delete(version.id);
    const now = this.store.clock.now();
    const body = versionEventBody(this.store, 'jira:version_deleted', version, now, target);
    this.dispatcher.dispatch('jira:version_deleted', body, { version, ...(target === undefined ? {} : { mergedVersion: target }) });
    return version;
  }

  /** Finds a version of a project that is not in the trash. Throws `NotFoundError`. */
  resolve(id: string): VersionRecord {
    const version = this.store.versions.get(id);
    const project = version === undefined ? undefined : this.store.findProjectById(version.projectId);
    if (version === undefined || project === undefined || project.deletedAt !== null) {
      throw new NotFoundError('version', id, `Could not find version for id '${id}'.`);
    }
    return version;
  }

  /** Resolves a version whose project is live: archived projects are read-only in Jira. */
  private writable(id: string): VersionRecord {
    const version = this.resolve(id);
    this.requireLiveProject(version.projectId);
    return version;
  }

  private versionsOf(projectId: string): VersionRecord[] {
    return [...this.store.versions.values()].filter((version) => version.projectId === projectId).sort((left, right) => left.sequence - right.sequence);
  }

  private requireLiveProject(idOrKey: string): ProjectRecord {
    const project = this.store.resolveProject(idOrKey);
    if (project.archivedAt !== null || project.deletedAt !== null) {
      throw new InvalidInputError(`Project ${project.key} is archived or in the trash, so its versions cannot change; restore it first.`);
    }
    return project;
  }

  private requireName(name: string, project: ProjectRecord): void {
    if (typeof name !== 'string' || name.trim() === '') throw new InvalidInputError('A version needs a non-empty name.');
    if (this.versionsOf(project.id).some((version) => version.name === name)) {
      throw new InvalidInputError(`A version with the name "${name}" already exists in project ${project.key}.`);
    }
  }

  private commit(version: VersionRecord, event: VersionEventName): VersionRecord {
    this.store.versions.set(version.id, version);
    this.notify(event, version);
    return version;
  }

  private notify(event: VersionEventName, version: VersionRecord): void {
    this.dispatcher.dispatch(event, versionEventBody(this.store, event, version, this.store.clock.now()), { version });
  }
}

function checkDate(value: string | null, field: string): string | null {
  if (value !== null && !DATE.test(value)) throw new InvalidInputError(`Invalid ${field} "${value}"; use YYYY-MM-DD.`);
  return value;
}
