import { InvalidJiraIdError } from './errors.js';

/**
 * JQL composition for membership checks: restrict the user's JQL to given
 * issue ids or one project without changing what the user's JQL means.
 *
 * The user's JQL is wrapped in parentheses because Atlassian documents two
 * different precedences for `A OR B AND C`, so an unwrapped `OR` could widen
 * the result to everything the first branch matches. `ORDER BY` is only valid
 * at the end of a query, and `(... ORDER BY x) AND ...` fails with 400
 * "Expecting ')' but got 'ORDER'", so it is split off first.
 */

/** A JQL query split into its search restriction and its sort clause. */
export interface SplitJql {
  /** The trimmed part before `ORDER BY`, which is empty when the query only sorts. */
  readonly where: string;
  /** The trimmed sort list after `ORDER BY`, such as `updated DESC`. Absent without `ORDER BY`. */
  readonly orderBy?: string;
}

const ORDER_BY = /order\s+by(?![\w.-])/iy;
const WORD_CHARACTER = /[\w.-]/;
const NUMERIC_ID = /^[0-9]+$/;

/**
 * Splits a JQL query at its top-level `ORDER BY`.
 *
 * The scan is case-insensitive and quote-aware: `ORDER BY` inside a quoted
 * value ("order by", 'order by', with backslash escapes), inside parentheses
 * or as part of a longer word (`reorder by`) is not a split point.
 */
export function splitOrderBy(jql: string): SplitJql {
  const index = findOrderBy(jql);
  if (index === undefined) {
    return { where: jql.trim() };
  }

  ORDER_BY.lastIndex = index;
  const match = ORDER_BY.exec(jql);
  const sortStart = index + (match?.[0].length ?? 0);

  return { where: jql.slice(0, index).trim(), orderBy: jql.slice(sortStart).trim() };
}

/**
 * Composes `(<where>) AND issue in (<ids>)`, or `(<where>) AND issue = <id>`
 * for one id, from the user's JQL without its `ORDER BY`. With an empty or
 * sort-only user JQL the result is the id clause alone.
 *
 * Throws InvalidJiraIdError when an id is not a numeric string, and a
 * RangeError when `ids` is empty. Repeated ids appear once.
 */
export function composeIssueJql(userJql: string | undefined, ids: readonly string[]): string {
  const uniqueIds = [...new Set(ids.map((id) => requireNumericId('issue', id)))];
  if (uniqueIds.length === 0) {
    throw new RangeError('composeIssueJql needs at least one issue id; got an empty list.');
  }

  const idClause = uniqueIds.length === 1 ? `issue = ${uniqueIds[0]}` : `issue in (${uniqueIds.join(', ')})`;

  return restrict(userJql, idClause);
}

/**
 * Composes `(<where>) AND project = <projectId>` from the user's JQL without
 * its `ORDER BY`, for backfilling one project's issues. Token paging does not
 * need a sort order, so the user's sort clause is dropped.
 *
 * Throws InvalidJiraIdError when `projectId` is not a numeric string.
 */
export function composeProjectIssuesJql(userJql: string | undefined, projectId: string): string {
  return restrict(userJql, `project = ${requireNumericId('project', projectId)}`);
}

/** Returns `id` when it is a numeric string, and throws InvalidJiraIdError naming the value otherwise. */
export function requireNumericId(kind: 'issue' | 'project', id: unknown): string {
  if (typeof id !== 'string' || !NUMERIC_ID.test(id)) {
    throw new InvalidJiraIdError(kind, id);
  }

  return id;
}

function restrict(userJql: string | undefined, clause: string): string {
  const { where } = splitOrderBy(userJql ?? '');

  return where === '' ? clause : `(${where}) AND ${clause}`;
}

/** Returns the index where a top-level, unquoted `ORDER BY` starts, if any. */
function findOrderBy(jql: string): number | undefined {
  let quote: string | undefined;
  let depth = 0;

  for (let index = 0; index < jql.length; index += 1) {
    const character = jql[index];

    if (quote !== undefined) {
      if (character === '\\') {
        index += 1;
      } else if (character === quote) {
        quote = undefined;
      }
      continue;
    }

    if (character === '"' || character === "'") {
      quote = character;
    } else if (character === '(') {
      depth += 1;
    } else if (character === ')') {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0 && startsOrderBy(jql, index)) {
      return index;
    }
  }

  return undefined;
}

function startsOrderBy(jql: string, index: number): boolean {
  const previous = index === 0 ? '' : jql.charAt(index - 1);
  if (previous !== '' && WORD_CHARACTER.test(previous)) {
    return false;
  }

  ORDER_BY.lastIndex = index;

  return ORDER_BY.test(jql);
}
