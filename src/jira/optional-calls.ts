import { JiraCallUnavailableError } from './errors.js';
import type { JiraApi, OptionalJiraCall } from './types.js';

/**
 * Returns the optional call `name` of `api`, bound to it, or throws
 * JiraCallUnavailableError when `api` does not implement it.
 */
export function requireJiraCall<K extends OptionalJiraCall>(api: JiraApi, name: K): NonNullable<JiraApi[K]> {
  const call = api[name];
  if (typeof call !== 'function') throw new JiraCallUnavailableError(name);

  return (call as (...args: unknown[]) => unknown).bind(api) as NonNullable<JiraApi[K]>;
}
