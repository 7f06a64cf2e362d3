import type { JiraApi } from '../jira/types.js';
import type { PortApi } from '../port/types.js';

/** One batch call to Jira or Port: how many ids or entities it carried. */
export interface BatchInfo {
  readonly system: 'jira' | 'port';
  /** `issuesById` for a Jira fetch, `upsert` or `delete` for a Port write. */
  readonly operation: string;
  readonly size: number;
}

export type BatchObserver = (batch: BatchInfo) => void;

/**
 * Wraps a JiraApi so that every `issuesById` call reports its number of ids.
 * Wrap the client under the fetch batcher to see the batches Jira receives.
 * Other members pass through unchanged, so members added to JiraApi later
 * keep working.
 */
export function meterJiraFetches<T extends JiraApi>(api: T, observe: BatchObserver): T {
  return intercept(api, {
    issuesById: (args) => observe({ system: 'jira', operation: 'issuesById', size: new Set(args[0] as readonly string[]).size }),
  });
}

/** Wraps a PortApi so that every bulk upsert and delete reports its number of entities. */
export function meterPortWrites<T extends PortApi>(api: T, observe: BatchObserver): T {
  return intercept(api, {
    upsertEntities: (args) => observe({ system: 'port', operation: 'upsert', size: (args[1] as readonly unknown[]).length }),
    deleteEntities: (args) => observe({ system: 'port', operation: 'delete', size: (args[1] as readonly unknown[]).length }),
  });
}

/**
 * Creates a proxy that calls `before[name]` with the arguments ahead of
 * each call of that method. Methods run with the original object as `this`, because
 * clients keep their state in private fields that a proxy cannot reach.
 */
function intercept<T extends object>(target: T, before: Readonly<Record<string, (args: readonly unknown[]) => void>>): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;

      const hook = typeof property === 'string' ? before[property] : undefined;
      return (...args: unknown[]) => {
        hook?.(args);
        return (value as (...callArgs: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}
