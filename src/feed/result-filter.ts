import type { Outcome, ProcessedResult } from '../core/results.js';

/**
 * A feed client's selection of results. An absent set matches every result.
 * A present set matches a result when it contains the result's value, and for
 * `kinds` when it contains any of the result's kinds.
 */
export interface ResultFilter {
  readonly kinds?: ReadonlySet<string>;
  readonly outcomes?: ReadonlySet<Outcome>;
  /** Webhook event names. A result whose `webhookEvent` is null never matches. */
  readonly events?: ReadonlySet<string>;
}

/** Returns whether `result` passes every set of the filter. */
export function matchesFilter(filter: ResultFilter, result: ProcessedResult): boolean {
  if (filter.outcomes !== undefined && !filter.outcomes.has(result.outcome)) {
    return false;
  }

  if (filter.events !== undefined && (result.webhookEvent === null || !filter.events.has(result.webhookEvent))) {
    return false;
  }

  if (filter.kinds !== undefined) {
    const kinds = filter.kinds;
    return result.kinds.some((kind) => kinds.has(kind));
  }

  return true;
}
