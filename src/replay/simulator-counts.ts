import ky from 'ky';
import type { RequestCounts as JiraRequestCounts } from '../simulators/jira/request-counts.js';
import type { RequestCounts as PortRequestCounts } from '../simulators/port/types.js';
import { SimulatorRequestError } from './errors.js';

/** API requests a simulator served, by `METHOD /path-template` and by status. */
export interface RequestCountSummary {
  readonly total: number;
  readonly byEndpoint: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
}

/** Reads a simulator's request counts now. */
export type CountSource = () => Promise<RequestCountSummary>;

/** Counts of a Jira simulator's REST requests (`/_sim` calls are not counted). */
export function fromJiraCounts(counts: JiraRequestCounts): RequestCountSummary {
  return { total: counts.total, byEndpoint: { ...counts.byEndpoint }, byStatus: { ...counts.byStatus } };
}

/** Counts of a Port simulator's `/v1` requests, which it keeps by endpoint, then status. */
export function fromPortCounts(counts: PortRequestCounts): RequestCountSummary {
  const byEndpoint: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const [endpoint, statuses] of Object.entries(counts)) {
    for (const [status, count] of Object.entries(statuses)) {
      byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + count;
      byStatus[status] = (byStatus[status] ?? 0) + count;
      total += count;
    }
  }
  return { total, byEndpoint, byStatus };
}

/** Read `GET /_sim/requests` of the Jira simulator at `baseUrl`. */
export function jiraCountsAt(baseUrl: string): CountSource {
  return async () => fromJiraCounts((await getJson(`${baseUrl}/_sim/requests`)) as JiraRequestCounts);
}

/** Read `GET /_sim/requests` of the Port simulator at `baseUrl`. */
export function portCountsAt(baseUrl: string): CountSource {
  return async () => fromPortCounts((await getJson(`${baseUrl}/_sim/requests`)) as PortRequestCounts);
}

/** Subtract `before` from `after` per key, dropping keys that did not grow, to get the requests made between two readings. */
export function countsBetween(before: RequestCountSummary, after: RequestCountSummary): RequestCountSummary {
  const minus = (later: Readonly<Record<string, number>>, earlier: Readonly<Record<string, number>>): Record<string, number> => {
    const difference: Record<string, number> = {};
    for (const [key, count] of Object.entries(later)) {
      const grown = count - (earlier[key] ?? 0);
      if (grown > 0) difference[key] = grown;
    }
    return difference;
  };
  return { total: after.total - before.total, byEndpoint: minus(after.byEndpoint, before.byEndpoint), byStatus: minus(after.byStatus, before.byStatus) };
}

async function getJson(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await ky.get(url, { retry: 0, timeout: 10_000, throwHttpErrors: false });
  } catch (error) {
    throw new SimulatorRequestError(url, undefined, error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw new SimulatorRequestError(url, response.status, (await response.text()).slice(0, 200));
  return response.json();
}
