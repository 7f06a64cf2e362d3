import type { EntityRef } from '../core/results.js';
import type { Entity } from '../mapping/types.js';
import type { WrittenEntities } from '../processors/processor.js';
import { scopedRefKey } from './work.js';

/** What the index keeps for one entity the pipeline wrote to Port. */
export interface WrittenEntry {
  readonly resourceIndex: number;
  readonly jiraId: string;
  readonly projectId?: string;
  /** Jira's `fields.updated` of the state written, when the object has one. */
  readonly updated?: string;
  readonly blueprint: string;
  readonly identifier: string;
}

/**
 * The entities the pipeline has written to Port, by resource config and
 * Jira id. It records what Jira can no longer tell: which issue entities
 * belong to a trashed project, and which state of an entity was written
 * last (the stale-write guard).
 */
export interface WrittenIndex extends WrittenEntities {
  record(entry: WrittenEntry): void;
  forget(resourceIndex: number, ref: EntityRef): void;
  /** `fields.updated` of the last state written for this Jira object, if known. */
  lastUpdated(resourceIndex: number, jiraId: string): string | undefined;
}

/** The Jira id, project id and `fields.updated` of a raw Jira object, where it has them. */
export function describeRaw(raw: unknown): { jiraId?: string; projectId?: string; updated?: string } {
  if (typeof raw !== 'object' || raw === null) return {};
  const object = raw as Record<string, unknown>;
  const fields = (typeof object['fields'] === 'object' && object['fields'] !== null ? object['fields'] : {}) as Record<string, unknown>;
  const project = (typeof fields['project'] === 'object' && fields['project'] !== null ? fields['project'] : {}) as Record<string, unknown>;

  const id = object['id'] ?? object['accountId'];
  return {
    ...(typeof id === 'string' || typeof id === 'number' ? { jiraId: String(id) } : {}),
    ...(typeof project['id'] === 'string' || typeof project['id'] === 'number' ? { projectId: String(project['id']) } : {}),
    ...(typeof fields['updated'] === 'string' ? { updated: fields['updated'] } : {}),
  };
}

/** Entry for an upserted entity, or undefined when the raw object has no Jira id. */
export function entryOf(resourceIndex: number, raw: unknown, entity: Entity): WrittenEntry | undefined {
  const { jiraId, projectId, updated } = describeRaw(raw);
  if (jiraId === undefined) return undefined;
  return {
    resourceIndex,
    jiraId,
    blueprint: entity.blueprint,
    identifier: entity.identifier,
    ...(projectId !== undefined ? { projectId } : {}),
    ...(updated !== undefined ? { updated } : {}),
  };
}

/**
 * Epoch ms of a Jira timestamp such as `2026-12-04T13:00:00.000+0000`. Jira
 * writes the offset without a colon, which ECMAScript's date format does not
 * include, so the colon is inserted first. NaN when unparsable.
 */
export function jiraTimeMs(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** True when `candidate` is known to be older than `written`. */
export function isOlder(candidate: string | undefined, written: string | undefined): boolean {
  if (candidate === undefined || written === undefined) return false;
  const candidateMs = jiraTimeMs(candidate);
  const writtenMs = jiraTimeMs(written);
  return Number.isFinite(candidateMs) && Number.isFinite(writtenMs) && candidateMs < writtenMs;
}

/** In-memory `WrittenIndex`, for embedding and tests; lost on restart. */
export class MemoryWrittenIndex implements WrittenIndex {
  /** Entry per (resource config, Jira id); one Jira object maps to one entity here. */
  private readonly byJiraId = new Map<string, WrittenEntry>();
  /** (resource config, blueprint, identifier) to the `byJiraId` key. */
  private readonly byRef = new Map<string, string>();
  /** (resource config, project id) to the `byJiraId` keys of its issues. */
  private readonly byProject = new Map<string, Set<string>>();

  record(entry: WrittenEntry): void {
    const jiraKey = `${entry.resourceIndex}:${entry.jiraId}`;
    this.remove(jiraKey);
    this.byJiraId.set(jiraKey, entry);
    this.byRef.set(scopedRefKey(entry.resourceIndex, entry), jiraKey);
    if (entry.projectId !== undefined) {
      const projectKey = `${entry.resourceIndex}:${entry.projectId}`;
      const members = this.byProject.get(projectKey) ?? new Set<string>();
      members.add(jiraKey);
      this.byProject.set(projectKey, members);
    }
  }

  forget(resourceIndex: number, ref: EntityRef): void {
    const jiraKey = this.byRef.get(scopedRefKey(resourceIndex, ref));
    if (jiraKey !== undefined) this.remove(jiraKey);
  }

  lastUpdated(resourceIndex: number, jiraId: string): string | undefined {
    return this.byJiraId.get(`${resourceIndex}:${jiraId}`)?.updated;
  }

  entitiesOf(resourceIndex: number, jiraId: string): EntityRef[] {
    const entry = this.byJiraId.get(`${resourceIndex}:${jiraId}`);
    return entry === undefined ? [] : [{ blueprint: entry.blueprint, identifier: entry.identifier }];
  }

  issuesOfProject(resourceIndex: number, projectId: string): EntityRef[] {
    const members = this.byProject.get(`${resourceIndex}:${projectId}`) ?? new Set<string>();
    return [...members]
      .map((jiraKey) => this.byJiraId.get(jiraKey))
      .filter((entry): entry is WrittenEntry => entry !== undefined)
      .map(({ blueprint, identifier }) => ({ blueprint, identifier }));
  }

  private remove(jiraKey: string): void {
    const existing = this.byJiraId.get(jiraKey);
    if (existing === undefined) return;
    this.byJiraId.delete(jiraKey);
    this.byRef.delete(scopedRefKey(existing.resourceIndex, existing));
    if (existing.projectId !== undefined) this.byProject.get(`${existing.resourceIndex}:${existing.projectId}`)?.delete(jiraKey);
  }
}
