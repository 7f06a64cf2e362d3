import * as t from 'io-ts';
import type { Either } from 'fp-ts/lib/Either.js';
import { requireJiraCall } from '../jira/optional-calls.js';
import type { JiraSprint } from '../jira/types.js';
import type { ResourceConfig } from '../mapping/types.js';
import { decodePayload, JiraId } from './decode.js';
import { authenticateDelivery, type WebhookAuthentication } from './jira-authentication.js';
import type { PayloadRejection, Processor, ProcessorContext, RawResults, WebhookEvent } from './processor.js';

const SPRINT_EVENTS = { sprint_created: null, sprint_updated: null, sprint_started: null, sprint_closed: null, sprint_deleted: null };

const SprintPayloadCodec = t.intersection([
  t.type({
    webhookEvent: t.keyof(SPRINT_EVENTS),
    sprint: t.intersection([t.type({ id: JiraId }), t.partial({ name: t.string, state: t.string })]),
  }),
  t.partial({ timestamp: t.number }),
]);

export type SprintPayload = t.TypeOf<typeof SprintPayloadCodec>;

/** Ocean's default `sprintState`: only active sprints. */
const DEFAULT_SPRINT_STATES: readonly string[] = ['active'];

/**
 * `sprint_*` events for the `sprint` kind. `sprint_deleted` deletes from the
 * payload without a fetch. Every other event re-fetches the sprint from the
 * Jira Software API and applies the selector's `sprintState` (default
 * `["active"]`, null for every state), so a sprint that leaves the filter,
 * such as one just closed, is deleted. A 404 means the sprint was deleted
 * meanwhile, so it is deleted too.
 */
export class SprintProcessor implements Processor<SprintPayload> {
  readonly name = 'sprint';

  constructor(private readonly authentication: WebhookAuthentication) {}

  shouldProcessEvent(event: WebhookEvent): boolean {
    return Object.hasOwn(SPRINT_EVENTS, event.name);
  }

  getMatchingKinds(): readonly string[] {
    return ['sprint'];
  }

  authenticate(rawBody: Buffer, headers: Readonly<Record<string, string>>): boolean {
    return authenticateDelivery(this.authentication, rawBody, headers);
  }

  validatePayload(payload: unknown): Either<PayloadRejection, SprintPayload> {
    return decodePayload(SprintPayloadCodec, payload);
  }

  entityId(payload: SprintPayload): string {
    return payload.sprint.id;
  }

  isDeletion(payload: SprintPayload): boolean {
    return payload.webhookEvent === 'sprint_deleted';
  }

  async handleEvent(payload: SprintPayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
    const deletion = { updatedRawResults: [], deletedRawResults: [payload.sprint], deletedEntities: context.written.entitiesOf(resource.index, payload.sprint.id) };
    if (this.isDeletion(payload)) return deletion;

    const sprint = await requireJiraCall(context.jira, 'sprint')(payload.sprint.id);
    if (sprint === null) return deletion;
    if (!passesSprintState(sprint, resource)) {
      return { updatedRawResults: [], deletedRawResults: [sprint], deletedEntities: context.written.entitiesOf(resource.index, payload.sprint.id) };
    }
    return { updatedRawResults: [sprint], deletedRawResults: [] };
  }
}

/**
 * Checks the sprint's state against the selector's `sprintState`. The
 * mapping decoder fills in `["active"]` when the key is absent, and a
 * selector built in code without the key gets the same default.
 */
function passesSprintState(sprint: JiraSprint, resource: ResourceConfig): boolean {
  const setting = resource.selector['sprintState'];
  if (setting === null) return true;

  const states = Array.isArray(setting) ? (setting as unknown[]) : DEFAULT_SPRINT_STATES;
  return typeof sprint.state === 'string' && states.includes(sprint.state);
}
