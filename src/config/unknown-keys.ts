import * as t from 'io-ts';
import type { ConfigProblem } from './errors.js';

/** The keys a codec accepts, nested: a section maps to its own tree, a leaf to null. */
export type KeyTree = { readonly [key: string]: KeyTree | null };

/** Reads the accepted keys from a codec built of exact, type, partial, intersection and union codecs. */
export function keyTreeOf(codec: t.Mixed): KeyTree {
  const tree: Record<string, KeyTree | null> = {};
  for (const [key, child] of Object.entries(propsOf(codec))) {
    const nested = keyTreeOf(child);
    tree[key] = Object.keys(nested).length > 0 ? nested : null;
  }
  return tree;
}

/** Lists every dotted key of a tree, each section before its keys, such as `server`, `server.host`. */
export function dottedKeys(tree: KeyTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, child]) => {
    const dotted = prefix === '' ? key : `${prefix}.${key}`;
    return child === null ? [dotted] : [dotted, ...dottedKeys(child, dotted)];
  });
}

/**
 * Lists every key of `document` that `tree` does not accept, each with a
 * fix: the closest known key when one is near (a typo, another letter case,
 * or the same name in another section), otherwise the keys that are known
 * at that place. Keys listed in `skip` (dotted) are left to other checks.
 */
export function findUnknownKeys(document: unknown, tree: KeyTree, skip: ReadonlySet<string> = new Set()): ConfigProblem[] {
  return walk(document, tree, '', tree, skip);
}

function walk(value: unknown, tree: KeyTree, prefix: string, root: KeyTree, skip: ReadonlySet<string>): ConfigProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];

  const problems: ConfigProblem[] = [];
  for (const [key, child] of Object.entries(value)) {
    const dotted = prefix === '' ? key : `${prefix}.${key}`;
    if (skip.has(dotted)) continue;

    const known = tree[key];
    if (known === undefined) {
      problems.push({ key: dotted, problem: 'unknown key', fix: fixForUnknown(key, prefix, tree, root) });
    } else if (known !== null) {
      problems.push(...walk(child, known, dotted, root, skip));
    }
  }
  return problems;
}

function fixForUnknown(key: string, prefix: string, siblings: KeyTree, root: KeyTree): string {
  const at = (name: string): string => (prefix === '' ? name : `${prefix}.${name}`);
  const near = closestKey(key, Object.keys(siblings));
  if (near !== undefined) return `did you mean "${at(near)}"? Rename the key`;

  const everyKey = dottedKeys(root);
  const leaf = closestKey(key, everyKey.map((dotted) => dotted.split('.').pop() ?? dotted));
  const elsewhere = everyKey.find((dotted) => dotted === leaf || dotted.endsWith(`.${leaf ?? ''}`));
  if (elsewhere !== undefined) return `did you mean "${elsewhere}"? Move the key there`;

  const place = prefix === '' ? 'at the top level' : `in ${prefix}`;
  return `remove it; the keys known ${place} are ${Object.keys(siblings).join(', ')} (docs/configuration.md lists them all)`;
}

/** Returns the candidate within a small edit distance of `key` (letter case ignored), or undefined. */
export function closestKey(key: string, candidates: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const limit = Math.max(1, Math.floor(key.length / 4));
  let best: { readonly candidate: string; readonly distance: number } | undefined;

  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Edit distance in which an insertion, a deletion, a substitution or a swap of two adjacent letters each cost 1. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, index) => index)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(distance);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

function propsOf(codec: t.Mixed): t.Props {
  if (codec instanceof t.ExactType) return propsOf(codec.type as t.Mixed);
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) return codec.props as t.Props;
  if (codec instanceof t.IntersectionType || codec instanceof t.UnionType) {
    return Object.assign({}, ...(codec.types as t.Mixed[]).map((member) => propsOf(member))) as t.Props;
  }
  return {};
}
