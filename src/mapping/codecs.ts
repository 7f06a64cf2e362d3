/**
 * Leaf io-ts codecs for the mapping format. Each codec's name is the
 * expected value in words ("a JQ expression string"), because the decode
 * error report quotes it to the user.
 */
import * as t from 'io-ts';
import type { SearchQuery, SearchRule } from './types.js';

const fixHints = new WeakMap<object, string>();

/** Attaches the fix that a decode error on `codec` suggests, when "Replace it with <name>" would not help. */
export function withFixHint<C extends t.Any>(codec: C, hint: string): C {
  fixHints.set(codec, hint);
  return codec;
}

/** Returns the fix hint attached to `codec`, if any. */
export function fixHintOf(codec: t.Decoder<unknown, unknown>): string | undefined {
  return fixHints.get(codec);
}

/** Decodes `undefined` (an absent key) to `fallback` and anything else with `codec`. */
export function withDefault<A>(codec: t.Type<A, unknown, unknown>, fallback: A): t.Type<A, unknown, unknown> {
  const wrapper = new t.Type<A, unknown, unknown>(
    codec.name,
    codec.is,
    (input, context) => (input === undefined ? t.success(fallback) : codec.validate(input, context)),
    codec.encode,
  );
  return copyFixHint(codec, wrapper);
}

/** Accepts an absent key or `null` as "not set" (decoded to `undefined`), anything else with `codec`. */
export function optional<A>(codec: t.Type<A, unknown, unknown>): t.Type<A | undefined, unknown, unknown> {
  const wrapper = new t.Type<A | undefined, unknown, unknown>(
    codec.name,
    (input): input is A | undefined => input === undefined || codec.is(input),
    (input, context) => (input === undefined || input === null ? t.success(undefined) : codec.validate(input, context)),
    (value) => (value === undefined ? undefined : codec.encode(value)),
  );
  return copyFixHint(codec, wrapper);
}

/** Wrappers report errors under their own context entry, so they need the wrapped codec's hint. */
function copyFixHint<W extends t.Any>(codec: t.Any, wrapper: W): W {
  const hint = fixHints.get(codec);
  return hint === undefined ? wrapper : withFixHint(wrapper, hint);
}

/** A leaf codec that accepts the input unchanged when `accepts` returns true. */
export function leaf<A>(name: string, accepts: (input: unknown) => input is A): t.Type<A, unknown, unknown> {
  return new t.Type<A, unknown, unknown>(
    name,
    accepts,
    (input, context) => (accepts(input) ? t.success(input) : t.failure(input, context)),
    t.identity,
  );
}

export const jqExpression = leaf(
  'a JQ expression string',
  (input): input is string => typeof input === 'string' && input.trim() !== '',
);

export const nonEmptyString = leaf(
  'a non-empty string',
  (input): input is string => typeof input === 'string' && input.trim() !== '',
);

export const anyString = leaf('a string', (input): input is string => typeof input === 'string');

export const flag = leaf('true or false', (input): input is boolean => typeof input === 'boolean');

export const ratio = withFixHint(
  leaf('a number from 0 to 1', (input): input is number => typeof input === 'number' && input >= 0 && input <= 1),
  'Use a ratio from 0 to 1, such as the default 0.9.',
);

/** Accepts one of `values`, named after them ("one of scrum, kanban, simple"). */
export function oneOf<V extends string>(values: readonly V[]): t.Type<V, unknown, unknown> {
  return leaf(`one of ${values.join(', ')}`, (input): input is V => values.includes(input as V));
}

const searchRule: t.Type<SearchRule, unknown, unknown> = t.type(
  { property: jqExpression, operator: jqExpression, value: jqExpression },
  'a search rule {property, operator, value}',
) as t.Type<SearchRule, unknown, unknown>;

/** A search query `{combinator, rules}` whose rules are rules or nested queries. Every leaf is JQ. */
export const searchQuery: t.Type<SearchQuery, unknown, unknown> = t.recursion('a search query {combinator, rules}', () =>
  t.type(
    {
      combinator: jqExpression,
      rules: t.array(searchRuleOrQuery, 'a list of search rules'),
    },
    'a search query {combinator, rules}',
  ) as unknown as t.Type<SearchQuery, unknown, unknown>,
);

const searchRuleOrQuery: t.Type<SearchRule | SearchQuery, unknown, unknown> = new t.Type<SearchRule | SearchQuery, unknown, unknown>(
  'a search rule {property, operator, value} or a nested search query {combinator, rules}',
  (input): input is SearchRule | SearchQuery => searchRule.is(input) || searchQuery.is(input),
  (input, context) => (isRecord(input) && 'combinator' in input ? searchQuery.validate(input, context) : searchRule.validate(input, context)),
  t.identity,
);

/** A mapping value that is either one JQ expression or a search query object. */
export const jqOrSearchQuery: t.Type<string | SearchQuery, unknown, unknown> = new t.Type<string | SearchQuery, unknown, unknown>(
  'a JQ expression string or a search query {combinator, rules}',
  (input): input is string | SearchQuery => jqExpression.is(input) || searchQuery.is(input),
  (input, context) => (isRecord(input) ? searchQuery.validate(input, context) : jqExpression.validate(input, context)),
  t.identity,
);

export function isRecord(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}
