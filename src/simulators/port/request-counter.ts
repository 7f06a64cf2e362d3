import type { RequestCounts } from './types.js';

/** Counts `/v1` requests by endpoint template and response status. */
export class RequestCounter {
  private counts: RequestCounts = {};

  record(endpoint: string, status: number): void {
    const byStatus = (this.counts[endpoint] ??= {});
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
  }

  /** Returns a copy of the counts. */
  snapshot(): RequestCounts {
    return structuredClone(this.counts);
  }

  reset(): void {
    this.counts = {};
  }
}
