/**
 * The `fields` parameter of Jira's issue endpoints: `*all`, `*navigable`,
 * explicit names, and `-name` exclusions, as a list or comma-separated.
 */
export interface FieldSelection {
  /** True when nothing beyond `id` was requested: issues come back as `{ id }`. */
  readonly idOnly: boolean;
  /** True when nothing beyond `id` and `key` was requested, which allows pages of 5000. */
  readonly identifiersOnly: boolean;
  includes(field: string): boolean;
}

/** Fields that `*navigable` leaves out. `*all` includes them. */
const NON_NAVIGABLE = new Set(['comment']);

/** Parses a `fields` value. `defaultFields` applies when it is absent or empty. */
export function selectFields(requested: readonly string[] | undefined, defaultFields: string): FieldSelection {
  const tokens = (requested ?? [])
    .flatMap((entry) => entry.split(','))
    .map((token) => token.trim())
    .filter((token) => token !== '');
  const effective = tokens.length === 0 ? [defaultFields] : tokens;

  const excluded = new Set(effective.filter((token) => token.startsWith('-')).map((token) => token.slice(1)));
  const positive = effective.filter((token) => !token.startsWith('-'));
  const all = positive.includes('*all');
  const navigable = positive.includes('*navigable') || (positive.length === 0 && excluded.size > 0);
  const named = new Set(positive.filter((token) => !token.startsWith('*')));

  const includes = (field: string): boolean => {
    if (excluded.has(field)) return false;
    if (all || named.has(field)) return true;
    return navigable && !NON_NAVIGABLE.has(field);
  };
  const beyond = (allowed: readonly string[]): boolean => all || navigable || [...named].some((field) => !allowed.includes(field));

  return { idOnly: !beyond(['id']), identifiersOnly: !beyond(['id', 'key']), includes };
}
