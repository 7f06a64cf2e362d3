/**
 * Choices drawn from a seeded random source (a function returning numbers
 * in [0, 1)), so that one seed always gives the same stream.
 */
export type Random = () => number;

/** Pick one element uniformly. Throws on an empty list. */
export function pickOne<T>(random: Random, values: readonly T[]): T {
  if (values.length === 0) throw new RangeError('pickOne needs a non-empty list');
  return values[Math.floor(random() * values.length)] as T;
}

/**
 * Pick an element with a power-law bias towards the front of the list: the
 * index is `floor(length × u^skew)` for a uniform `u`. With skew 1 every
 * element is equally likely. With skew 3 the first 10 % of the list gets
 * 0.1^(1/3) ≈ 46 % of the picks and the first 1 % about 22 %.
 */
export function pickPopular<T>(random: Random, values: readonly T[], skew: number): T {
  if (values.length === 0) throw new RangeError('pickPopular needs a non-empty list');
  return values[Math.min(values.length - 1, Math.floor(values.length * random() ** skew))] as T;
}

/** Pick an element with the same power-law bias as `pickPopular`, but towards the end of the list. */
export function pickUnpopular<T>(random: Random, values: readonly T[], skew: number): T {
  if (values.length === 0) throw new RangeError('pickUnpopular needs a non-empty list');
  const fromEnd = Math.min(values.length - 1, Math.floor(values.length * random() ** skew));
  return values[values.length - 1 - fromEnd] as T;
}

/** Pick a key by its weight. Entries with weight 0 are never picked. Throws when every weight is 0. */
export function pickWeighted<K>(random: Random, weights: ReadonlyArray<readonly [K, number]>): K {
  const total = weights.reduce((sum, [, weight]) => sum + Math.max(0, weight), 0);
  if (total <= 0) throw new RangeError('pickWeighted needs at least one positive weight');

  let roll = random() * total;
  for (const [key, weight] of weights) {
    if (weight <= 0) continue;
    roll -= weight;
    if (roll < 0) return key;
  }
  return weights.filter(([, weight]) => weight > 0).at(-1)![0];
}

/** Insert `value` at a uniformly random position of `list`, so that its popularity rank is random. */
export function insertAtRandom<T>(random: Random, list: T[], value: T): void {
  list.splice(Math.floor(random() * (list.length + 1)), 0, value);
}

/** Draw a random version-4 UUID from `random`, so that identifiers repeat with the seed. */
export function seededUuid(random: Random): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Draw an exponentially distributed delay in ms with the given mean, as between Poisson arrivals. */
export function exponentialDelay(random: Random, meanMs: number): number {
  return -Math.log(1 - random()) * meanMs;
}
