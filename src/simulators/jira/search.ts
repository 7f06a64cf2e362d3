import { createHash } from 'node:crypto';
import * as t from 'io-ts';
import { decodeOrThrow } from './decode.js';
import { InvalidInputError } from './errors.js';
import { selectFields, type FieldSelection } from './field-selection.js';
import { compileJql, type CompiledJql } from './jql-evaluator.js';
import type { IssueRecord } from './model.js';
import { renderIssue } from './representations.js';
import type { JiraStore } from './store.js';

/** Body of `POST /rest/api/3/search/jql` (the GET form is converted to it). */
export const SearchRequestCodec = t.partial({
  jql: t.string,
  nextPageToken: t.string,
  maxResults: t.number,
  fields: t.array(t.string),
  expand: t.string,
  reconcileIssues: t.array(t.number),
  properties: t.array(t.string),
  fieldsByKeys: t.boolean,
  failFast: t.boolean,
});

export type SearchRequest = t.TypeOf<typeof SearchRequestCodec>;

export interface SearchResponse {
  readonly issues: ReadonlyArray<Record<string, unknown>>;
  readonly nextPageToken?: string;
  readonly isLast: boolean;
}

const DEFAULT_MAX_RESULTS = 50;
/** Page cap when fields beyond id and key are requested. */
const MAX_RESULTS_WITH_FIELDS = 100;
/** Page cap when only id and key are requested. */
const MAX_RESULTS_IDENTIFIERS = 5000;
/** Maximum number of ids in `reconcileIssues`. */
export const MAX_RECONCILE_ISSUES = 50;

const UNBOUNDED_MESSAGE = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

/**
 * Runs a `search/jql` request. Without `reconcileIssues` the candidates are
 * the index as of `indexLagMs` ago. Reconciled ids are read fresh. Issues of
 * archived or trashed projects never match.
 */
export function searchJql(store: JiraStore, body: unknown, indexLagMs: number): SearchResponse {
  const request = decodeOrThrow(SearchRequestCodec, body, 'search request');
  const compiled = compileJql(request.jql ?? '');
  if (!compiled.bounded) throw new InvalidInputError(UNBOUNDED_MESSAGE);

  // NOTE: `expand` and `properties` are accepted but ignored, so a search
  // never returns `changelog`, `renderedFields` or `names`.
  const selection = selectFields(request.fields, 'id');
  const pageSize = resolvePageSize(request.maxResults, selection);
  const offset = decodePageToken(request.nextPageToken, request.jql ?? '');

  const candidates = reconcile(store, laggedIssues(store, indexLagMs), request.reconcileIssues ?? []);
  const matches = matchIssues(store, compiled, candidates);
  const page = matches.slice(offset, offset + pageSize);
  const isLast = offset + page.length >= matches.length;

  return {
    issues: page.map((issue) => renderSearchIssue(store, issue, selection)),
    ...(isLast ? {} : { nextPageToken: encodePageToken(offset + page.length, request.jql ?? '') }),
    isLast,
  };
}

/** Filters and sorts `candidates` by the query, leaving out issues of archived or trashed projects. */
export function matchIssues(store: JiraStore, compiled: CompiledJql, candidates: readonly IssueRecord[]): IssueRecord[] {
  const subjects = candidates
    .filter((issue) => store.isSearchable(issue.projectId))
    .map((issue) => ({ issue, subject: store.subject(issue) }))
    .filter(({ subject }) => compiled.matches(subject));
  subjects.sort((left, right) => compiled.compare(left.subject, right.subject));
  return subjects.map(({ issue }) => issue);
}

function laggedIssues(store: JiraStore, indexLagMs: number): IssueRecord[] {
  return indexLagMs > 0 ? store.index.snapshot(Date.now() - indexLagMs) : [...store.issues.values()];
}

/** Replaces the lagged versions of the reconciled ids by the current ones. Every id must exist. */
function reconcile(store: JiraStore, lagged: IssueRecord[], ids: readonly number[]): IssueRecord[] {
  if (ids.length === 0) return lagged;
  if (ids.length > MAX_RECONCILE_ISSUES) {
    throw new InvalidInputError(`reconcileIssues accepts at most ${MAX_RECONCILE_ISSUES} ids; the request has ${ids.length}.`);
  }

  const missing = ids.filter((id) => !store.issues.has(String(id)));
  if (missing.length > 0) {
    throw new InvalidInputError(`reconcileIssues contains ids of issues that do not exist: ${missing.join(', ')}. All issues must exist.`);
  }

  const fresh = new Set(ids.map(String));
  return [...lagged.filter((issue) => !fresh.has(issue.id)), ...[...fresh].map((id) => store.issues.get(id)!)];
}

function resolvePageSize(maxResults: number | undefined, selection: FieldSelection): number {
  if (maxResults === undefined) return DEFAULT_MAX_RESULTS;
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw new InvalidInputError(`Invalid maxResults ${maxResults}; use a whole number from 1 to ${MAX_RESULTS_IDENTIFIERS}.`);
  }
  return Math.min(maxResults, selection.identifiersOnly ? MAX_RESULTS_IDENTIFIERS : MAX_RESULTS_WITH_FIELDS);
}

function renderSearchIssue(store: JiraStore, issue: IssueRecord, selection: FieldSelection): Record<string, unknown> {
  if (selection.idOnly) return { id: issue.id };
  return renderIssue(store, issue, 'v3', (field) => selection.includes(field));
}

/** Page tokens carry the offset and a digest of the JQL, so a token is rejected for a different query. */
function encodePageToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ offset, query: digest(jql) })).toString('base64url');
}

function decodePageToken(token: string | undefined, jql: string): number {
  if (token === undefined) return 0;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown; query?: unknown };
    if (typeof decoded.offset === 'number' && decoded.query === digest(jql)) return decoded.offset;
  } catch {
    // An undecodable token is reported below like a token of another query.
  }
  throw new InvalidInputError(`Invalid nextPageToken "${token}"; pass the token from the previous page of the same query.`);
}

function digest(jql: string): string {
  return createHash('sha256').update(jql).digest('base64url').slice(0, 16);
}
