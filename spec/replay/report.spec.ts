import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatReport, type ReplayReport } from '../../src/replay/report.js';

const REPORT: ReplayReport = {
  source: 'stream.ndjson',
  target: 'http://127.0.0.1:8000/integration/webhook',
  pacing: 'as fast as possible',
  concurrency: 20,
  resigned: true,
  sent: 10,
  acknowledged: 8,
  statusCounts: { '202': 7, '200': 1, '401': 2 },
  errors: 2,
  errorSamples: ['401: invalid_signature: X-Hub-Signature does not match the body'],
  sendDurationMs: 2000,
  sendRate: 5,
  ackLatencyMs: { count: 8, p50: 1.5, p90: 3, p99: 4, p999: 4, max: 4, mean: 2 },
  endToEnd: { expected: 7, observed: 6, missing: 1, latencyMs: null, outcomes: { upserted: 6 } },
  settleMs: 1500,
  convergence: null,
  jira: { total: 3, byEndpoint: { 'POST /rest/api/3/search/jql': 3 }, byStatus: { '200': 3 } },
  port: null,
  warnings: ['2 deliveries carried a redacted X-Hub-Signature; pass --secret to sign them again'],
  interrupted: false,
};

describe('formatReport', () => {
  const text = formatReport(REPORT);

  test('lists status codes and samples', () => {
    assert.match(text, /status codes\s+200 1, 202 7, 401 2/);
    assert.match(text, /sample\s+401: invalid_signature/);
  });

  test('shows latency percentiles', () => {
    assert.match(text, /ack latency\s+p50 1\.5 ms, p90 3 ms, p99 4 ms/);
  });

  test('shows results and missing ones', () => {
    assert.match(text, /results\s+6 of 7 observed, 1 missing/);
    assert.match(text, /outcomes\s+upserted 6/);
  });

  test('lists request counts per endpoint', () => {
    assert.match(text, /Jira requests\s+3 \(by status: 200 3\)\n\s+3 {2}POST \/rest\/api\/3\/search\/jql/);
    assert.match(text, /Port requests\s+not counted/);
  });

  test('skipped feed gives the reason', () => {
    const skipped = formatReport({ ...REPORT, endToEnd: { skipped: 'the feed rejected the handshake with 401' } });
    assert.match(skipped, /end-to-end\s+not measured: the feed rejected the handshake with 401/);
  });

  test('convergence not checked says why', () => {
    assert.match(text, /convergence\s+not checked \(needs --local or --embedded with --state\)/);
  });

  test('convergence lists missing issues', () => {
    const diverged = formatReport({
      ...REPORT,
      convergence: { converged: false, expected: 7, actual: 5, missing: ['MOB-1', 'MOB-2'], unexpected: [], different: [] },
    });
    assert.match(diverged, /convergence\s+NOT converged: 5 of 7 expected issues in Port, 2 missing \(MOB-1, MOB-2\)\n/);
  });

  test('convergence holds', () => {
    const converged = formatReport({ ...REPORT, convergence: { converged: true, expected: 7, actual: 7, missing: [], unexpected: [], different: [] } });
    assert.match(converged, /convergence\s+Port holds the 7 issues Jira's state maps to/);
  });

  test('warnings are shown', () => {
    assert.match(text, /warning\s+2 deliveries carried a redacted X-Hub-Signature/);
  });
});
