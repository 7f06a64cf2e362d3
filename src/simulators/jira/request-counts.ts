/** Counts of the REST requests the simulator served (admin `/_sim` calls are not counted). */
export interface RequestCounts {
  readonly total: number;
  /** Keyed by `"METHOD /path-template"`, such as `"POST /rest/api/3/search/jql"`. */
  readonly byEndpoint: Record<string, number>;
  /** Keyed by the response status as a string, such as `"429"`. */
  readonly byStatus: Record<string, number>;
}

export class RequestCounter {
  private total = 0;
  private byEndpoint: Record<string, number> = {};
  private byStatus: Record<string, number> = {};

  record(method: string, template: string, status: number): void {
    const endpoint = `${method} ${template}`;
    this.total += 1;
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
    this.byStatus[String(status)] = (this.byStatus[String(status)] ?? 0) + 1;
  }

  snapshot(): RequestCounts {
    return { total: this.total, byEndpoint: { ...this.byEndpoint }, byStatus: { ...this.byStatus } };
  }

  reset(): void {
    this.total = 0;
    this.byEndpoint = {};
    this.byStatus = {};
  }
}
