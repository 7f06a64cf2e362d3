import * as t from 'io-ts';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { PayloadRejection } from './processor.js';

/** Maximum id length accepted; Jira's ids are short numbers or account ids well below this. */
const MAX_ID_LENGTH = 128;

/**
 * A Jira id: a string in REST and issue payloads, a number in project
 * payloads. Numeric ids are normalised without leading zeros, because Jira
 * returns issue `10000` for `010000` and the two must be one entity.
 */
export const JiraId = new t.Type<string, string, unknown>(
  'JiraId',
  (value): value is string => typeof value === 'string',
  (value, context) => {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return t.success(String(value));
    if (typeof value !== 'string' || value.trim() === '') return t.failure(value, context, 'expected a non-empty string or a non-negative integer');

    const id = value.trim();
    if (id.length > MAX_ID_LENGTH) return t.failure(value, context, `expected an id of at most ${MAX_ID_LENGTH} characters`);
    return t.success(/^\d+$/.test(id) ? id.replace(/^0+(?=\d)/, '') : id);
  },
  (value) => value,
);

/** A string or null, as in changelog `fromString`/`toString`. */
export const NullableString = t.union([t.string, t.null]);

/**
 * Decode `payload` with `codec`, turning io-ts errors into a rejection that
 * names the first failing path (`issue.id`) and what was wrong with it.
 */
export function decodePayload<A>(codec: t.Decoder<unknown, A>, payload: unknown): Either<PayloadRejection, A> {
  const result = codec.decode(payload);
  if (result._tag === 'Right') return right(result.right);

  const first = result.left[0];
  if (first === undefined) return left({ path: '(root)', reason: 'invalid payload' });
  return left({ path: pathOf(first), reason: reasonOf(first) });
}

function pathOf(error: t.ValidationError): string {
  // io-ts adds a context entry per union or intersection member, keyed by the
  // member's index; those are not payload keys, so skip them.
  const keys: string[] = [];
  for (let i = 1; i < error.context.length; i++) {
    const parent = error.context[i - 1]?.type;
    if (parent instanceof t.UnionType || parent instanceof t.IntersectionType) continue;
    keys.push(error.context[i]?.key ?? '');
  }
  const path = keys.filter((key) => key !== '').join('.');
  return path === '' ? '(root)' : path;
}

function reasonOf(error: t.ValidationError): string {
  const expected = error.message ?? `expected ${error.context[error.context.length - 1]?.type.name ?? 'a value'}`;
  const actual = error.value === undefined ? 'missing' : `got ${describeValue(error.value)}`;
  return `${expected}, ${actual}`;
}

/**
 * Describe a payload value in a few words. It never serialises nested
 * values, because a payload may nest deeper than `JSON.stringify` can go.
 */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  if (typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  const keys = Object.keys(value);
  return `an object with ${keys.length === 0 ? 'no keys' : `keys ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', ...' : ''}`}`;
}
