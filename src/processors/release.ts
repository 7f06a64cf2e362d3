import * as t from 'io-ts';
import type { Either } from 'fp-ts/lib/Either.js';
import { requireJiraCall } from '../jira/optional-calls.js';
import type { ResourceConfig } from '../mapping/types.js';
import { decodePayload, JiraId } from './decode.js';
import { authenticateDelivery, type WebhookAuthentication } from './jira-authentication.js';
import type { PayloadRejection, Processor, ProcessorContext, RawResults, WebhookEvent } from './processor.js';

/**
 * `jira:version_*` events. `jira:version_merged` is in the REST API's list
 * of dynamic webhook events. Jira Cloud reports a merge as
 * `jira:version_deleted` with a `mergedTo` object instead, so both are accepted.
 */
export const VERSION_EVENTS = {
  'jira:version_created': null,
  'jira:version_updated': null,
  'jira:version_released': null,
  'jira:version_unreleased': null,
  'jira:version_moved': null,
  'jira:version_deleted': null,
  'jira:version_merged': null,
};

/** A version as webhooks carry it: `id` always, the rest when Jira sends it. */
export const VersionRef = t.intersection([
  t.type({ id: JiraId }),
  t.partial({ name: t.string, projectId: JiraId, self: t.string }),
]);

const ReleasePayloadCodec = t.intersection([
  t.type({ webhookEvent: t.keyof(VERSION_EVENTS), version: VersionRef }),
  t.partial({ timestamp: t.number }),
]);

export type ReleasePayload = t.TypeOf<typeof ReleasePayloadCodec>;

/**
 * `jira:version_*` events for the `release` kind (Port's name for a Jira
 * version). `jira:version_deleted` deletes from the payload without a
 * fetch. Every other event re-fetches the version by id: found means upsert
 * it with its project's key as `__projectKey`, gone (404) means delete it.
 * The version a merge went into is refreshed by the release-merge processor
 * under its own id.
 */
export class ReleaseProcessor implements Processor<ReleasePayload> {
  readonly name = 'release';

  constructor(private readonly authentication: WebhookAuthentication) {}

  shouldProcessEvent(event: WebhookEvent): boolean {
    return Object.hasOwn(VERSION_EVENTS, event.name);
  }

  getMatchingKinds(): readonly string[] {
    return ['release'];
  }

  authenticate(rawBody: Buffer, headers: Readonly<Record<string, string>>): boolean {
    return authenticateDelivery(this.authentication, rawBody, headers);
  }

  validatePayload(payload: unknown): Either<PayloadRejection, ReleasePayload> {
    return decodePayload(ReleasePayloadCodec, payload);
  }

  entityId(payload: ReleasePayload): string {
    return payload.version.id;
  }

  isDeletion(payload: ReleasePayload): boolean {
    return payload.webhookEvent === 'jira:version_deleted';
  }

  async handleEvent(payload: ReleasePayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
    if (this.isDeletion(payload)) {
      return { updatedRawResults: [], deletedRawResults: [payload.version], deletedEntities: context.written.entitiesOf(resource.index, payload.version.id) };
    }
    return refreshVersion(payload.version, resource, context);
  }
}

/**
 * Re-fetch a version by id and add `__projectKey` (versions carry only the
 * project id, and the default mapping relates releases to projects by key).
 * A 404 means the version was deleted or merged meanwhile, so it is deleted.
 */
export async function refreshVersion(version: t.TypeOf<typeof VersionRef>, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
  const current = await requireJiraCall(context.jira, 'version')(version.id);
  if (current === null) {
    return { updatedRawResults: [], deletedRawResults: [version], deletedEntities: context.written.entitiesOf(resource.index, version.id) };
  }

  const projectId = current.projectId ?? version.projectId;
  const project = projectId === undefined ? null : await context.jira.project(String(projectId));
  return { updatedRawResults: [{ ...current, ...(project === null ? {} : { __projectKey: project.key }) }], deletedRawResults: [] };
}
