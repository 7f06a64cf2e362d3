import * as t from 'io-ts';
import { map, type Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { requireJiraCall } from '../jira/optional-calls.js';
import type { ResourceConfig } from '../mapping/types.js';
import { decodePayload, JiraId } from './decode.js';
import { authenticateDelivery, type WebhookAuthentication } from './jira-authentication.js';
import type { PayloadRejection, Processor, ProcessorContext, RawResults, WebhookEvent } from './processor.js';

const BOARD_EVENTS = { board_created: null, board_updated: null, board_deleted: null, board_configuration_changed: null };

const BoardRef = t.intersection([t.type({ id: JiraId }), t.partial({ name: t.string, type: t.string })]);

// NOTE: Jira documents no board payload. The reference tables name a `board`
// object for every board event; `configuration` (the shape of GET
// /board/{id}/configuration) is accepted too for board_configuration_changed.
const BoardPayloadCodec = t.intersection([
  t.type({ webhookEvent: t.keyof(BOARD_EVENTS) }),
  t.union([t.type({ board: BoardRef }), t.type({ configuration: BoardRef })]),
]);

/** The validated board payload, with the board taken from `board` or `configuration`. */
export interface BoardPayload {
  readonly webhookEvent: keyof typeof BOARD_EVENTS;
  readonly board: t.TypeOf<typeof BoardRef>;
}

/**
 * `board_*` events for the `board` kind. `board_deleted` deletes from the
 * payload without a fetch. Every other event re-fetches the board and its
 * projects (added as `__projectKeys`) from the Jira Software API and
 * applies the selector's `boardType` and `projectKey`, so a board that
 * leaves the filter is deleted. A 404 means the board was deleted
 * meanwhile, so it is deleted too.
 */
export class BoardProcessor implements Processor<BoardPayload> {
  readonly name = 'board';

  constructor(private readonly authentication: WebhookAuthentication) {}

  shouldProcessEvent(event: WebhookEvent): boolean {
    return Object.hasOwn(BOARD_EVENTS, event.name);
  }

  getMatchingKinds(): readonly string[] {
    return ['board'];
  }

  authenticate(rawBody: Buffer, headers: Readonly<Record<string, string>>): boolean {
    return authenticateDelivery(this.authentication, rawBody, headers);
  }

  validatePayload(payload: unknown): Either<PayloadRejection, BoardPayload> {
    return pipe(
      decodePayload(BoardPayloadCodec, payload),
      map((decoded) => ({ webhookEvent: decoded.webhookEvent, board: 'board' in decoded ? decoded.board : decoded.configuration })),
    );
  }

  entityId(payload: BoardPayload): string {
    return payload.board.id;
  }

  isDeletion(payload: BoardPayload): boolean {
    return payload.webhookEvent === 'board_deleted';
  }

  async handleEvent(payload: BoardPayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
    const deletion = { updatedRawResults: [], deletedRawResults: [payload.board], deletedEntities: context.written.entitiesOf(resource.index, payload.board.id) };
    if (this.isDeletion(payload)) return deletion;

    const board = await requireJiraCall(context.jira, 'board')(payload.board.id);
    const projects = board === null ? null : await requireJiraCall(context.jira, 'boardProjects')(payload.board.id);
    if (board === null || projects === null) return deletion;

    const current = { ...board, __projectKeys: projects.map((project) => project.key) };
    if (!passesBoardSelector(current, resource)) return { ...deletion, deletedRawResults: [current] };
    return { updatedRawResults: [current], deletedRawResults: [] };
  }
}

/** Checks the board against the selector's `boardType` and `projectKey`, each when set. */
function passesBoardSelector(board: { readonly type?: string; readonly __projectKeys: readonly string[] }, resource: ResourceConfig): boolean {
  const { boardType, projectKey } = resource.selector;
  if (typeof boardType === 'string' && board.type !== boardType) return false;
  if (typeof projectKey === 'string' && !board.__projectKeys.some((key) => key.toUpperCase() === projectKey.trim().toUpperCase())) return false;
  return true;
}
