import type { Either } from 'fp-ts/lib/Either.js';
import type { Delivery } from '../core/delivery.js';
import type { EntityRef } from '../core/results.js';
import type { JiraApi } from '../jira/types.js';
import type { ResourceConfig } from '../mapping/types.js';

/** A delivery whose body parsed as a JSON object with a `webhookEvent` string. */
export interface WebhookEvent {
  readonly delivery: Delivery;
  readonly name: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** Raw Jira objects a processor produced for one resource config. */
export interface RawResults {
  /** Current Jira objects to map and upsert (or delete, if they fail the selector). */
  readonly updatedRawResults: readonly unknown[];
  /** Jira objects (often taken from the payload) whose entities must be deleted. */
  readonly deletedRawResults: readonly unknown[];
  /**
   * Entities to delete that no raw object describes any more, such as the
   * issues of a trashed project, which Jira no longer returns (from the
   * entity index of what the pipeline wrote).
   */
  readonly deletedEntities?: readonly EntityRef[];
  /**
   * Why the results are empty on purpose, such as a Data Center comment
   * event that names no issue. It becomes the reason of the `ignored` result.
   */
  readonly ignoredReason?: string;
}

/** A payload that failed validation; `path` names the field at fault. */
export interface PayloadRejection {
  readonly path: string;
  readonly reason: string;
}

/** The part of the pipeline's record of Port writes that processors read. */
export interface WrittenEntities {
  /** Entities written for this resource config from issues of the given project. */
  issuesOfProject(resourceIndex: number, projectId: string): EntityRef[];

  /** Entities written for this resource config from the Jira object with this id. */
  entitiesOf(resourceIndex: number, jiraId: string): EntityRef[];
}

/** The services `handleEvent` may use besides the payload. */
export interface ProcessorContext {
  readonly jira: JiraApi;
  readonly written: WrittenEntities;
}

/**
 * One processor per webhook event family, in `src/processors/<family>.ts`.
 * The pipeline calls the members in the order listed.
 *
 * Departure from Ocean's contract: `authenticate` receives the raw body
 * bytes instead of the parsed payload, because the HMAC in
 * `X-Hub-Signature` is computed over the exact bytes Jira sent.
 */
export interface Processor<P = unknown> {
  /** Stable name, used in processed results, logs and metrics. */
  readonly name: string;

  /** True when this processor owns the delivery. */
  shouldProcessEvent(event: WebhookEvent): boolean;

  /** Mapping kinds this delivery affects (`issue`, `project`, ...). */
  getMatchingKinds(event: WebhookEvent): readonly string[];

  /** True when the delivery comes from the configured Jira site. */
  authenticate(rawBody: Buffer, headers: Readonly<Record<string, string>>): boolean;

  /** io-ts decode of the fields the processor needs. */
  validatePayload(payload: unknown): Either<PayloadRejection, P>;

  /**
   * Id of the `kind` entity the work is about (issue id, project id,
   * accountId ...). Work for one (kind, resource config, entity id) is
   * coalesced and never runs twice at once, whichever processor it came from.
   */
  entityId(payload: P, kind: string): string;

  /**
   * Combine two payloads for the same entity into one unit of work; `later`
   * arrived after `earlier`. Without it the later payload replaces the
   * earlier one. The issue processor keeps the old keys of both.
   */
  merge?(earlier: P, later: P): P;

  /**
   * True when the event deletes the entity from the payload without a fetch.
   * A pending delete wins over pending fetches of the same entity.
   */
  isDeletion(payload: P): boolean;

  /** Produce the raw results for one resource config, usually after a Jira fetch. */
  handleEvent(payload: P, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults>;
}
