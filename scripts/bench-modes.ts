import type { ServiceMode } from './bench-run.js';

/** Batching off: one Jira fetch and one Port request per delivery, as Ocean does. */
export const PER_DELIVERY_MODE: ServiceMode = {
  name: 'per-delivery',
  tuning: { coalesceWindowMs: 0, coalesceMaxItems: 1, portFlushMs: 0, portUpsertBatchSize: 1, portDeleteBatchSize: 1 },
  batchJiraFetches: false,
};

/** The defaults: coalescing, batched Jira searches and Port bulk requests. */
export const SHIPPED_MODE: ServiceMode = { name: 'shipped', tuning: {}, batchJiraFetches: true };
