import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAPPING_PATH, PACKAGE_ROOT } from '../../src/mapping/default-mapping.js';

/** A webhook body read from `fixtures/payloads`, open to edits by path. */
export type Payload = Record<string, unknown>;

/**
 * Reads `fixtures/payloads/<name>` (a fresh copy on every call). The
 * directory is found from the package root, so the same path works from
 * `spec/` under tsx and from `dist/spec/` after tsc.
 */
export function fixture(name: string): Payload {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'payloads', name), 'utf8')) as Payload;
}

/** Sets the value at a dotted path such as `version.id`, creating no objects on the way. */
export function setPath(body: Payload, path: string, value: unknown): Payload {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let target: Record<string, unknown> = body;
  for (const key of keys) {
    const next = target[key];
    if (typeof next !== 'object' || next === null) throw new Error(`fixture has no object at "${key}" of "${path}"`);
    target = next as Record<string, unknown>;
  }
  target[last] = value;
  return body;
}

/** Returns `fixture(name)` with each dotted path of `values` set, e.g. `{ webhookEvent: 'sprint_closed', 'sprint.id': 3 }`. */
export function payload(name: string, values: Readonly<Record<string, unknown>> = {}): Payload {
  const body = fixture(name);
  for (const [path, value] of Object.entries(values)) setPath(body, path, value);
  return body;
}

/** Returns a copy of `payload` without the top-level `key`. */
export function without(body: Payload, key: string): Payload {
  const { [key]: _removed, ...rest } = body;
  return rest;
}

/**
 * Returns the default mapping as YAML, with each `[search, replacement]`
 * pair applied once and `extra` appended to the resources list. Throws
 * when a search string is missing, so a changed default mapping fails loudly.
 */
export function defaultMappingYaml(replacements: ReadonlyArray<readonly [string, string]> = [], extra = ''): { yaml: string } {
  let text = readFileSync(DEFAULT_MAPPING_PATH, 'utf8');
  for (const [search, replacement] of replacements) {
    if (!text.includes(search)) throw new Error(`the default mapping has no "${search}" to replace`);
    text = text.replace(search, replacement);
  }
  return { yaml: `${text.trimEnd()}\n${extra}` };
}
