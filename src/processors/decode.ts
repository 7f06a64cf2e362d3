import * as t from 'io-ts';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { PayloadRejection } from './processor.js';

/** A Jira id: a string in REST and issue payloads, a number in project payloads. */
export const JiraId = new t.Type<string, string, unknown>(
  'JiraId',
  (value): value is string => typeof value === 'string',
  (value, context) => {
    if (typeof value === 'string' && value.trim() !== '') return t.success(value.trim());
    if (typeof value === 'number' && Number.isFinite(value)) return t.success(String(value));
    return t.failure(value, context, 'expected a non-empty string or a number');
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
  const actual = error.value === undefined ? 'missing' : `got ${JSON.stringify(error.value)?.slice(0, 80)}`;
  return `${expected}, ${actual}`;
}
