import type { ConvergenceReport } from '../simulators/oracle.js';
import type { LatencySummary } from './latency.js';
import type { EndToEndSummary } from './result-tracker.js';
import type { RequestCountSummary } from './simulator-counts.js';

/** The outcome of one replay; `--json` prints it as it is. */
export interface ReplayReport {
  readonly source: string;
  readonly target: string;
  readonly pacing: string;
  readonly concurrency: number;
  /** Whether every delivery was signed again with `--secret`. */
  readonly resigned: boolean;
  readonly sent: number;
  /** Deliveries with a 2xx response (stored, or duplicates of stored ones). */
  readonly acknowledged: number;
  /** Responses by HTTP status. `no response` counts network failures and timeouts. */
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Deliveries without a 2xx response. */
  readonly errors: number;
  /** Up to five distinct error messages, each with its first status. */
  readonly errorSamples: readonly string[];
  /** Milliseconds from the first send to the last response. */
  readonly sendDurationMs: number;
  /** Deliveries sent per second over `sendDurationMs`. */
  readonly sendRate: number;
  /** From the start of a send to its 2xx response. */
  readonly ackLatencyMs: LatencySummary | null;
  /** Results seen on the target's result stream, or why they could not be watched. */
  readonly endToEnd: EndToEndSummary | { readonly skipped: string };
  /** Milliseconds spent waiting for the results after the last response. */
  readonly settleMs: number;
  /**
   * Port's issue entities compared with the mapping of Jira's issues, when
   * the replay started the simulators and loaded a state (`--state`).
   */
  readonly convergence: ConvergenceReport | null;
  /** Requests the replay caused at the Jira and Port simulators, when it could read their counts. */
  readonly jira: RequestCountSummary | null;
  readonly port: RequestCountSummary | null;
  /** Conditions that make the figures misleading, such as redacted signatures sent without `--secret`. */
  readonly warnings: readonly string[];
  /** True when the replay was stopped before it sent every delivery. */
  readonly interrupted: boolean;
}

/** Format a report as aligned text lines for a terminal. */
export function formatReport(report: ReplayReport): string {
  const rows: Array<[string, string]> = [
    ['source', report.source],
    ['target', report.target],
    ['pacing', `${report.pacing}, concurrency ${report.concurrency}${report.resigned ? ', re-signed' : ''}`],
    ['sent', `${report.sent} in ${seconds(report.sendDurationMs)} (${report.sendRate.toFixed(1)}/s)${report.interrupted ? ', interrupted' : ''}`],
    ['acknowledged', `${report.acknowledged}`],
    ['status codes', counts(report.statusCounts)],
    ['errors', `${report.errors}`],
    ...report.errorSamples.map((sample): [string, string] => ['  sample', sample]),
    ['ack latency', latency(report.ackLatencyMs)],
    ...endToEndRows(report),
    ['convergence', convergence(report.convergence)],
    ['Jira requests', requests(report.jira)],
    ['Port requests', requests(report.port)],
    ...report.warnings.map((warning): [string, string] => ['warning', warning]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

function endToEndRows(report: ReplayReport): Array<[string, string]> {
  const endToEnd = report.endToEnd;
  if ('skipped' in endToEnd) return [['end-to-end', `not measured: ${endToEnd.skipped}`]];
  return [
    ['results', `${endToEnd.observed} of ${endToEnd.expected} observed, ${endToEnd.missing} missing, waited ${seconds(report.settleMs)} after the last response`],
    ['outcomes', counts(endToEnd.outcomes)],
    ['end-to-end', latency(endToEnd.latencyMs)],
  ];
}

function convergence(report: ConvergenceReport | null): string {
  if (report === null) return 'not checked (needs --local or --embedded with --state)';
  if (report.converged) return `Port holds the ${report.expected} issues Jira's state maps to`;
  const sample = (label: string, identifiers: readonly string[]): string =>
    identifiers.length === 0 ? '' : `, ${identifiers.length} ${label} (${identifiers.slice(0, 5).join(', ')}${identifiers.length > 5 ? ', …' : ''})`;
  return `NOT converged: ${report.actual} of ${report.expected} expected issues in Port${sample('missing', report.missing)}${sample('unexpected', report.unexpected)}${sample('different', report.different)}`;
}

function latency(summary: LatencySummary | null): string {
  if (summary === null) return 'none recorded';
  return `p50 ${summary.p50} ms, p90 ${summary.p90} ms, p99 ${summary.p99} ms, p99.9 ${summary.p999} ms, max ${summary.max} ms (n=${summary.count})`;
}

function requests(summary: RequestCountSummary | null): string {
  if (summary === null) return 'not counted (no simulator URL)';
  const endpoints = Object.entries(summary.byEndpoint).sort(([, left], [, right]) => right - left);
  const lines = endpoints.map(([endpoint, count]) => `\n    ${String(count).padStart(7)}  ${endpoint}`).join('');
  return `${summary.total} (by status: ${counts(summary.byStatus)})${lines}`;
}

function counts(values: Readonly<Record<string, number | undefined>>): string {
  const entries = Object.entries(values).filter(([, count]) => count !== undefined && count > 0);
  return entries.length === 0 ? 'none' : entries.map(([key, count]) => `${key} ${count}`).join(', ');
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(2)} s`;
}
