/**
 * `itemsToParse` expansion: one raw item becomes one item per element of
 * the array that the expression returns.
 */
import { isRecord } from './codecs.js';

export type PathSegment = string | number;

/** A run of `.name`, `[0]` and `["name"]` steps at the start of an expression. */
const LEADING_PATH = /^\s*((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\.?\["(?:[^"\\]|\\.)*"\])+)/;
const STEP = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\.?\[("(?:[^"\\]|\\.)*")\]/g;

/**
 * Returns the simple path an `itemsToParse` expression starts with, such as
 * `["fields", "subtasks"]` for `.fields.subtasks | map(.)`, or undefined
 * when it starts with anything else. Ocean guesses the path to delete from
 * the parent the same way.
 */
export function leadingPath(expression: string): PathSegment[] | undefined {
  const match = LEADING_PATH.exec(expression);
  if (match?.[1] === undefined) {
    return undefined;
  }
  const segments: PathSegment[] = [];
  for (const step of match[1].matchAll(STEP)) {
    if (step[1] !== undefined) {
      segments.push(step[1]);
    } else if (step[2] !== undefined) {
      segments.push(Number(step[2]));
    } else if (step[3] !== undefined) {
      segments.push(JSON.parse(step[3]) as string);
    }
  }
  return segments;
}

/** Returns a copy of `value` without the value at `path`, leaving the input unchanged. */
export function withoutPath(value: unknown, path: readonly PathSegment[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined) {
    return value;
  }
  if (Array.isArray(value) && typeof head === 'number' && head < value.length) {
    const copy = [...value];
    if (rest.length === 0) {
      copy.splice(head, 1);
    } else {
      copy[head] = withoutPath(copy[head], rest);
    }
    return copy;
  }
  if (isRecord(value) && typeof head === 'string' && head in value) {
    const copy: Record<string, unknown> = { ...value };
    if (rest.length === 0) {
      delete copy[head];
    } else {
      copy[head] = withoutPath(copy[head], rest);
    }
    return copy;
  }
  return value;
}

/**
 * Makes one item per element: the parent's fields (a non-object parent
 * contributes none) plus the element under `name`.
 */
export function expandItem(parent: unknown, elements: readonly unknown[], name: string): unknown[] {
  const base = isRecord(parent) ? parent : {};
  return elements.map((element) => ({ ...base, [name]: element }));
}
