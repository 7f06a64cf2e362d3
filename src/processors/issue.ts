import * as t from 'io-ts';
import { map, type Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { IssueQuery } from '../jira/types.js';
import type { ResourceConfig } from '../mapping/types.js';
import { decodePayload, JiraId, NullableString } from './decode.js';
import { authenticateDelivery, type WebhookAuthentication } from './jira-authentication.js';
import type { PayloadRejection, Processor, ProcessorContext, RawResults, WebhookEvent } from './processor.js';

const ISSUE_EVENTS = ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted'] as const;

const ChangelogItem = t.partial({
  field: t.string,
  fieldId: t.string,
  fromString: NullableString,
  toString: NullableString,
});

const IssuePayloadCodec = t.intersection([
  t.type({
    webhookEvent: t.keyof({ 'jira:issue_created': null, 'jira:issue_updated': null, 'jira:issue_deleted': null }),
    issue: t.intersection([
      t.type({ id: JiraId, key: t.string }),
      t.partial({ self: t.string, fields: t.UnknownRecord }),
    ]),
  }),
  t.partial({
    timestamp: t.number,
    changelog: t.partial({ items: t.array(ChangelogItem) }),
  }),
]);

type DecodedIssuePayload = t.TypeOf<typeof IssuePayloadCodec>;

/** The validated issue payload, with the keys the issue had before any move it reports. */
export interface IssuePayload {
  readonly webhookEvent: DecodedIssuePayload['webhookEvent'];
  readonly issue: DecodedIssuePayload['issue'];
  /** Keys this issue had earlier (from `Key` changelog items of this and merged deliveries). */
  readonly previousKeys: readonly string[];
}

/**
 * `jira:issue_created|updated|deleted`. Created and updated issues are
 * re-fetched by id, restricted to the resource's JQL with read-after-write
 * consistency: found means upsert; missing (deleted, or outside the JQL)
 * means delete. A deleted issue is deleted from the payload without a fetch.
 * When the issue's key changed (a move), the entity under each old key is
 * deleted too; with id-based identifiers that delete is the same entity as
 * the upsert and drops out.
 */
export class IssueProcessor implements Processor<IssuePayload> {
  readonly name = 'issue';

  constructor(private readonly authentication: WebhookAuthentication) {}

  shouldProcessEvent(event: WebhookEvent): boolean {
    return (ISSUE_EVENTS as readonly string[]).includes(event.name);
  }

  getMatchingKinds(): readonly string[] {
    return ['issue'];
  }

  authenticate(rawBody: Buffer, headers: Readonly<Record<string, string>>): boolean {
    return authenticateDelivery(this.authentication, rawBody, headers);
  }

  validatePayload(payload: unknown): Either<PayloadRejection, IssuePayload> {
    return pipe(
      decodePayload(IssuePayloadCodec, payload),
      map((decoded) => ({ webhookEvent: decoded.webhookEvent, issue: decoded.issue, previousKeys: keysBeforeMove(decoded) })),
    );
  }

  entityId(payload: IssuePayload): string {
    return payload.issue.id;
  }

  isDeletion(payload: IssuePayload): boolean {
    return payload.webhookEvent === 'jira:issue_deleted';
  }

  merge(earlier: IssuePayload, later: IssuePayload): IssuePayload {
    const previousKeys = new Set([...earlier.previousKeys, ...later.previousKeys]);
    if (earlier.issue.key !== later.issue.key) previousKeys.add(earlier.issue.key);
    return { ...later, previousKeys: [...previousKeys] };
  }

  async handleEvent(payload: IssuePayload, resource: ResourceConfig, context: ProcessorContext): Promise<RawResults> {
    if (this.isDeletion(payload)) {
      context.jira.markIssueDeleted?.(payload.issue.id);
      // The payload may carry a key the entity no longer has (a move whose
      // delivery was lost), so also delete what was written for this id.
      return {
        updatedRawResults: [],
        deletedRawResults: [payload.issue, ...this.underOldKeys(payload, payload.issue.key)],
        deletedEntities: context.written.entitiesOf(resource.index, payload.issue.id),
      };
    }

    return refreshIssue(payload.issue, this.underOldKeys.bind(this, payload), resource, context);
  }

  /** The payload's issue under each key it had before `currentKey`, for deleting stale entities. */
  private underOldKeys(payload: IssuePayload, currentKey: string): unknown[] {
    const keys = new Set([...payload.previousKeys, payload.issue.key]);
    keys.delete(currentKey);
    return [...keys].map((key) => ({ ...payload.issue, key }));
  }
}

/**
 * Re-fetch one issue by id under the resource's JQL: found means upsert it
 * (and delete it under any old key or any other identifier written for its
 * id), missing means delete it. `oldKeys` gives the issue under each key
 * it had before the current one.
 */
export async function refreshIssue(
  issue: { readonly id: string; readonly key: string },
  oldKeys: (currentKey: string) => unknown[],
  resource: ResourceConfig,
  context: ProcessorContext,
): Promise<RawResults> {
  const [current] = await context.jira.issuesById([issue.id], issueQueryOf(resource));

  // What was written for this id goes too, unless the upsert rewrites it:
  // a move whose delivery was lost left the entity under the old key.
  const written = context.written.entitiesOf(resource.index, issue.id);
  if (current === undefined) {
    return { updatedRawResults: [], deletedRawResults: [issue, ...oldKeys(issue.key)], deletedEntities: written };
  }
  return { updatedRawResults: [current], deletedRawResults: oldKeys(current.key), deletedEntities: written };
}

/** The issue selector fields that shape a Jira search. */
export function issueQueryOf(resource: ResourceConfig): IssueQuery {
  const { jql, fields, expand } = resource.selector;
  return {
    ...(typeof jql === 'string' ? { jql } : {}),
    fields: typeof fields === 'string' && fields.trim() !== '' ? fields : '*all',
    ...(typeof expand === 'string' && expand.trim() !== '' ? { expand } : {}),
  };
}

function keysBeforeMove(payload: DecodedIssuePayload): string[] {
  const items = payload.changelog?.items ?? [];
  return items
    .filter((item) => item.field === 'Key' || item.fieldId === 'issuekey')
    .map((item) => item.fromString)
    .filter((key): key is string => typeof key === 'string' && key !== '');
}
