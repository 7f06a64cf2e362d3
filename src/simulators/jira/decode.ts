import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { InvalidInputError } from './errors.js';

/**
 * Decodes `value` with `codec`, or throws `InvalidInputError` naming each
 * field at fault, the type it expects and the value it got.
 */
export function decodeOrThrow<A>(codec: t.Decoder<unknown, A>, value: unknown, what: string): A {
  const result = codec.decode(value);
  if (!isLeft(result)) return result.right;

  const problems = result.left.map((error) => {
    const path = error.context
      .filter((entry, index) => entry.key !== '' && !isCombinator(error.context[index - 1]?.type))
      .map((entry) => entry.key)
      .join('.');
    const expected = error.context.at(-1)?.type.name ?? 'a valid value';
    const got = error.value === undefined ? 'nothing' : JSON.stringify(error.value);
    return `${path === '' ? what : `"${path}"`} must be ${expected} (got ${got})`;
  });
  throw new InvalidInputError(`Invalid ${what}: ${[...new Set(problems)].join('; ')}.`);
}

/** Intersections and unions key their members by index. Those keys are not part of the field path. */
function isCombinator(type: t.Decoder<unknown, unknown> | undefined): boolean {
  return type instanceof t.IntersectionType || type instanceof t.UnionType;
}
