/**
 * Turns io-ts decode errors into `MappingConfigIssue`s that name the path
 * (`resources[2].port.entity.mappings.identifier`), the problem and the fix.
 */
import type * as t from 'io-ts';
import { fixHintOf, jqExpression } from './codecs.js';
import type { MappingConfigIssue } from './errors.js';

/** io-ts types whose context keys are branch positions, not paths in the document. */
const TRANSPARENT_TAGS = new Set(['UnionType', 'IntersectionType', 'ExactType', 'RefinementType', 'ReadonlyType', 'RecursiveType']);

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Converts decode errors to one issue per path (io-ts may report a path more than once). */
export function reportDecodeErrors(errors: t.Errors): MappingConfigIssue[] {
  const byPath = new Map<string, MappingConfigIssue>();
  for (const error of errors) {
    const issue = describeError(error);
    if (!byPath.has(issue.path)) {
      byPath.set(issue.path, issue);
    }
  }
  return [...byPath.values()];
}

function describeError(error: t.ValidationError): MappingConfigIssue {
  const entries = error.context;
  const last = entries[entries.length - 1];
  const expected = last?.type.name ?? 'a valid value';
  const key = last?.key ?? '';
  const path = formatPath(entries);

  const problem = error.value === undefined ? `is missing (expected ${expected})` : `is ${describeValue(error.value)}, expected ${expected}`;
  const fix = suggestFix(key, last?.type, error.value);
  return { path, problem, fix, ...resourceOf(entries) };
}

/** Formats a context as `a.b[2].c`, skipping the keys of union and intersection branches. */
export function formatPath(entries: t.Context): string {
  let path = '';
  for (let i = 1; i < entries.length; i++) {
    const entry = entries[i];
    const parentTag = (entries[i - 1]?.type as { _tag?: string } | undefined)?._tag;
    if (entry === undefined || (parentTag !== undefined && TRANSPARENT_TAGS.has(parentTag))) {
      continue;
    }
    if (Array.isArray(entries[i - 1]?.actual)) {
      path += `[${entry.key}]`;
    } else if (PLAIN_KEY.test(entry.key)) {
      path += path === '' ? entry.key : `.${entry.key}`;
    } else {
      path += `[${JSON.stringify(entry.key)}]`;
    }
  }
  return path === '' ? '(top level)' : path;
}

/** Finds the resource config an error sits in, so the issue can name its kind and index. */
function resourceOf(entries: t.Context): Pick<MappingConfigIssue, 'kind' | 'resourceIndex'> {
  const resource = entries[1]?.key === 'resources' ? entries[2] : undefined;
  if (resource === undefined) {
    return {};
  }
  const actual = resource.actual as { kind?: unknown } | null | undefined;
  const kind = typeof actual?.kind === 'string' ? actual.kind : undefined;
  return kind === undefined ? { resourceIndex: Number(resource.key) } : { kind, resourceIndex: Number(resource.key) };
}

/** Describes a value for an error message without quoting more than a short excerpt of it. */
export function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  }
  switch (typeof value) {
    case 'string':
      return value.trim() === '' ? 'an empty string' : `the string ${JSON.stringify(truncate(value, 60))}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function suggestFix(key: string, type: t.Decoder<unknown, unknown> | undefined, value: unknown): string {
  if (value === undefined) {
    return `Add ${key}.`;
  }
  if (type?.name === jqExpression.name && (typeof value === 'boolean' || typeof value === 'number')) {
    return `Quote it so YAML reads a string, for example ${key}: "${String(value)}".`;
  }
  const hint = type === undefined ? undefined : fixHintOf(type);
  return hint ?? `Replace it with ${type?.name ?? 'a valid value'}.`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}
