import * as t from 'io-ts';
import type { Either } from 'fp-ts/lib/Either.js';
import type { ResourceConfig } from '../mapping/types.js';
import { decodePayload } from './decode.js';
import { authenticateDelivery, type WebhookAuthentication } from './jira-authentication.js';
import type { PayloadRejection, Processor, ProcessorContext, RawResults, WebhookEvent } from './processor.js';
import { refreshVersion, VersionRef } from './release.js';

const MERGE_EVENTS = { 'jira:version_deleted': null, 'jira:version_merged': null };

const MergePayloadCodec = t.type({ webhookEvent: t.keyof(MERGE_EVENTS), mergedTo: VersionRef });

export type MergePayload = t.TypeOf<typeof MergePayloadCodec>;

/**
 * The target half of a version merge: Jira reports a merge as
 * `jira:version_deleted` (or `jira:version_merged`) with the version merged
 * into as `mergedTo`, and this processor re-fetches that version, whose
 * issues just changed. It runs as work for the target's own id, next to the
 * release processor's delete of the merged version, so it coalesces with
 * other events of the target instead of racing them.
 */
export class ReleaseMergeProcessor implements Processor<MergePayload> {
  readonly name = 'release-merge';

  constructor(private readonly authentication: WebhookAuthentication) {}

  shouldProcessEvent(event: WebhookEvent): boolean {
    const mergedTo = event.payload['mergedTo'];
    return Object.hasOwn(MERGE_EVENTS, event.name) && typeof mergedTo === 'object' && mergedTo !== null;
  }

  getMatchingKinds(): readonly string[] {
    return ['release'];
  }

  authenticate(rawBody: Buffer, headers: Readonly<Record<string, string>>): boolean {
    return authenticateDelivery(this.authentication, rawBody, headers);
  }

  validatePayload(payload: unknown): Either<PayloadRejection, MergePayload> {
    return decodePayload(MergePayloadCodec, payload);
  }

  entityId(payload: MergePayload): string {
    return payload.mergedTo.id;
  }

  isDeletion(): boolean {
    return false;
  }

  handleEvent(payload: MergePayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
    return refreshVersion(payload.mergedTo, resource, context);
  }
}
