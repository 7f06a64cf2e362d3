import * as t from 'io-ts';
import type { Either } from 'fp-ts/lib/Either.js';
import type { ResourceConfig } from '../mapping/types.js';
import { decodePayload, JiraId } from './decode.js';
import { issueQueryOf } from './issue.js';
import { authenticateDelivery, type WebhookAuthentication } from './jira-authentication.js';
import type { PayloadRejection, Processor, ProcessorContext, RawResults, WebhookEvent } from './processor.js';

const PROJECT_EVENTS = {
  project_created: null,
  project_updated: null,
  project_deleted: null,
  project_soft_deleted: null,
  project_restored_deleted: null,
  project_archived: null,
  project_restored_archived: null,
};

type ProjectEventName = keyof typeof PROJECT_EVENTS;

/** Events after which the project's issues are gone from Jira search and must leave Port. */
const ISSUES_LEAVE: readonly ProjectEventName[] = ['project_soft_deleted', 'project_deleted', 'project_archived'];

/** Events after which the project's issues are back in Jira search and are backfilled. */
const ISSUES_RETURN: readonly ProjectEventName[] = ['project_restored_deleted', 'project_restored_archived'];

/** Events that remove the project from Jira; they delete it unless Jira shows it live again. */
const PROJECT_GONE: readonly ProjectEventName[] = ['project_soft_deleted', 'project_deleted'];

const ProjectPayloadCodec = t.intersection([
  t.type({
    webhookEvent: t.keyof(PROJECT_EVENTS),
    project: t.intersection([t.type({ id: JiraId, key: t.string }), t.partial({ name: t.string, self: t.string })]),
  }),
  t.partial({ timestamp: t.number }),
]);

export type ProjectPayload = t.TypeOf<typeof ProjectPayloadCodec>;

/**
 * `project_*` events. Every event re-fetches the project with the selector's
 * `expand`, and Jira's response decides. A live or archived project is
 * upserted, so a restore is never a delete. A trashed or deleted one (404)
 * is deleted from the payload when the event was a trash or delete.
 *
 * Jira sends no issue events when a project goes to the trash, is deleted
 * or archived, and none when it comes back, so for `issue` resource configs
 * this processor cascades: issues written for the project are deleted, and
 * on a restore the project's issues are fetched again and upserted.
 */
export class ProjectProcessor implements Processor<ProjectPayload> {
  readonly name = 'project';

  constructor(private readonly authentication: WebhookAuthentication) {}

  shouldProcessEvent(event: WebhookEvent): boolean {
    return Object.hasOwn(PROJECT_EVENTS, event.name);
  }

  getMatchingKinds(event: WebhookEvent): readonly string[] {
    const name = event.name as ProjectEventName;
    const cascades = ISSUES_LEAVE.includes(name) || ISSUES_RETURN.includes(name);
    return cascades ? ['project', 'issue'] : ['project'];
  }

  authenticate(rawBody: Buffer, headers: Readonly<Record<string, string>>): boolean {
    return authenticateDelivery(this.authentication, rawBody, headers);
  }

  validatePayload(payload: unknown): Either<PayloadRejection, ProjectPayload> {
    return decodePayload(ProjectPayloadCodec, payload);
  }

  entityId(payload: ProjectPayload, kind: string): string {
    // The issue work of a project event covers all of the project's issues,
    // not one issue id, so a separate key keeps it apart from them.
    return kind === 'issue' ? `issues-of-project-${payload.project.id}` : payload.project.id;
  }

  isDeletion(payload: ProjectPayload): boolean {
    return PROJECT_GONE.includes(payload.webhookEvent);
  }

  async handleEvent(payload: ProjectPayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
    if (resource.kind === 'issue') return this.cascadeToIssues(payload, resource, context);

    // Jira's current state decides, not the event: deliveries arrive out of
    // order, and a trash and a restore of one project can land together.
    const expand = typeof resource.selector['expand'] === 'string' ? resource.selector['expand'] : 'insight';
    const project = await context.jira.project(payload.project.id, expand);
    if (project === null || project.deleted === true) {
      // A 404 after a non-deleting event is not proof of a deletion; the
      // trash or delete event that caused it removes the project.
      return { updatedRawResults: [], deletedRawResults: this.isDeletion(payload) ? [payload.project] : [] };
    }
    return { updatedRawResults: [project], deletedRawResults: [] };
  }

  /**
   * Bring the project's issues in line with the project's current state.
   * Trashed, deleted or archived projects have no searchable issues, so the
   * issues written for them are deleted. A live project's issues are fetched
   * again and upserted: that is a restore, possibly of a project whose trash
   * event is in the same group.
   *
   * NOTE: Only issues cascade. Releases, boards and sprints of a trashed or
   * deleted project stay in Port, because the written index groups only
   * issues by project and Jira sends no events for them either.
   */
  private async cascadeToIssues(payload: ProjectPayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
    const projectId = payload.project.id;
    const project = await context.jira.project(projectId);
    if (project === null || project.deleted === true || project.archived === true) {
      return { updatedRawResults: [], deletedRawResults: [], deletedEntities: context.written.issuesOfProject(resource.index, projectId) };
    }
    // The project search reads Jira's lagging index, which may return an
    // issue's state from before the trash. The ids are therefore fetched
    // again with read-after-write consistency.
    const query = issueQueryOf(resource);
    const listed = await context.jira.issuesOfProject(projectId, { ...query, fields: 'id' });
    const issues = listed.length === 0 ? [] : await context.jira.issuesById(listed.map((issue) => issue.id), query);
    return { updatedRawResults: issues, deletedRawResults: [] };
  }
}
