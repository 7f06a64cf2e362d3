import { OUTCOMES, type Outcome } from '../core/results.js';
import { FeedQueryInvalidError } from './errors.js';
import type { ResultFilter } from './result-filter.js';

/** Filters and resume offset from the query string of the feed URL. */
export interface FeedQuery {
  readonly filter: ResultFilter;
  /** The last offset the client has. Stored results after it are sent before live ones. */
  readonly from?: number;
}

/** Query parameters of the feed URL. `token` is read by the access check. */
export const FEED_QUERY_PARAMETERS = ['kinds', 'outcomes', 'events', 'from', 'token'] as const;

/**
 * Parses the filters and the resume offset from the feed URL's query string.
 * A parameter may be repeated, and its comma-separated values are merged.
 *
 * @throws FeedQueryInvalidError naming the parameter and value for an unknown
 *   parameter, an unknown outcome, an empty list or an invalid `from`.
 */
export function parseFeedQuery(parameters: URLSearchParams): FeedQuery {
  rejectUnknownParameters(parameters);

  const kinds = parseList(parameters, 'kinds');
  const events = parseList(parameters, 'events');
  const outcomes = parseOutcomes(parameters);
  const from = parseFrom(parameters);

  const filter: ResultFilter = {
    ...(kinds === undefined ? {} : { kinds }),
    ...(outcomes === undefined ? {} : { outcomes }),
    ...(events === undefined ? {} : { events }),
  };
  return from === undefined ? { filter } : { filter, from };
}

function rejectUnknownParameters(parameters: URLSearchParams): void {
  const known: readonly string[] = FEED_QUERY_PARAMETERS;

  for (const name of parameters.keys()) {
    if (!known.includes(name)) {
      throw new FeedQueryInvalidError(name, undefined, `unknown parameter; expected one of ${known.join(', ')}.`);
    }
  }
}

/** Returns the merged, non-empty values of a list parameter, or undefined when it is absent. */
function parseList(parameters: URLSearchParams, name: string): Set<string> | undefined {
  const raw = parameters.getAll(name);
  if (raw.length === 0) {
    return undefined;
  }

  const values = raw.flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item !== '');
  if (values.length === 0) {
    throw new FeedQueryInvalidError(name, raw.join(','), 'expected a comma-separated list with at least one value.');
  }
  return new Set(values);
}

function parseOutcomes(parameters: URLSearchParams): Set<Outcome> | undefined {
  const values = parseList(parameters, 'outcomes');
  if (values === undefined) {
    return undefined;
  }

  const known: readonly string[] = OUTCOMES;
  for (const value of values) {
    if (!known.includes(value)) {
      throw new FeedQueryInvalidError('outcomes', value, `unknown outcome; expected one of ${OUTCOMES.join(', ')}.`);
    }
  }
  return values as Set<Outcome>;
}

function parseFrom(parameters: URLSearchParams): number | undefined {
  const raw = parameters.getAll('from');
  if (raw.length === 0) {
    return undefined;
  }
  if (raw.length > 1) {
    throw new FeedQueryInvalidError('from', raw.join(','), 'expected a single offset.');
  }

  const text = raw[0] as string;
  const offset = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(offset)) {
    throw new FeedQueryInvalidError('from', text, 'expected a non-negative integer offset.');
  }
  return offset;
}
