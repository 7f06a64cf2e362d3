import * as t from 'io-ts';
import type { ConfigProblem } from './errors.js';
import { CONFIG_EXAMPLES, FileConfig } from './file-config.js';
import { keyTreeOf, type KeyTree } from './unknown-keys.js';

const KEYS = keyTreeOf(FileConfig);

/**
 * Turns io-ts decode errors into one problem per key. An optional section
 * is `undefined | section`, so a wrong value fails both members of the
 * union; the failure against `undefined` carries no information and is dropped.
 */
export function describeDecodeErrors(errors: t.Errors): ConfigProblem[] {
  const byKey = new Map<string, ConfigProblem>();
  for (const error of errors) {
    const leaf = error.context[error.context.length - 1]?.type;
    if (leaf instanceof t.UndefinedType) continue;

    const key = keyOf(error.context);
    if (byKey.has(key)) continue;
    byKey.set(key, leaf instanceof t.ExactType ? describeSection(key, error.value) : describe(key, error.value, leaf?.name ?? 'a valid value'));
  }
  return [...byKey.values()];
}

function describe(key: string, value: unknown, expected: string): ConfigProblem {
  const example = CONFIG_EXAMPLES[key];
  const suggestion = example === undefined ? '' : `, for example ${example}`;
  if (value === undefined) {
    return { key, problem: 'missing', fix: `add ${key}, ${expected}${suggestion}` };
  }
  return { key, problem: `${showValue(value)} is not ${expected}`, fix: `set ${key} to ${expected}${suggestion}` };
}

/** Describes a section (such as `server`) given as a scalar or a list, naming the keys it takes. */
function describeSection(key: string, value: unknown): ConfigProblem {
  const section = key.split('.').reduce<KeyTree | null | undefined>((tree, part) => tree?.[part], KEYS);
  const keys = section ? Object.keys(section).join(', ') : 'the keys in docs/configuration.md';
  const problem = value === undefined ? 'missing' : `is ${showValue(value)}, not a mapping of keys`;
  return { key, problem, fix: `write ${key} as a mapping with the keys ${keys}` };
}

/**
 * Returns the dotted key of a failing value. Union and intersection members
 * add context entries whose keys are member indexes, not config keys. An
 * exact codec adds no entry of its own, so its inner codec decides.
 */
function keyOf(context: t.Context): string {
  const keys: string[] = [];
  for (let i = 1; i < context.length; i++) {
    let parent = context[i - 1]?.type;
    if (parent instanceof t.ExactType) parent = parent.type as t.Mixed;
    if (parent instanceof t.UnionType || parent instanceof t.IntersectionType) continue;
    const key = context[i]?.key ?? '';
    if (key !== '') keys.push(key);
  }
  return keys.join('.') || '(file)';
}

/** Renders a value for messages: JSON cut at 60 characters, or "a list" or "a mapping" for containers. */
export function showValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
