import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateStream, type GeneratedStream } from '../../src/replay/generate-stream.js';
import { startEmbeddedEnvironment, type ReplayEnvironment } from '../../src/replay/replay-environment.js';
import { replayRecording } from '../../src/replay/replayer.js';
import type { ReplayReport } from '../../src/replay/report.js';
import { identifiers } from '../support/harness.js';
import { actualIssues, expectedIssues } from '../support/oracle.js';
import { fromList } from './replay-fixture.js';

const SECRET = 'embedded-replay-secret';

describe('replay into the embedded pipeline', () => {
  let stream: GeneratedStream;
  let environment: ReplayEnvironment;
  let report: ReplayReport;

  before(async () => {
    stream = await generateStream({ deliveries: 400, issues: 40, projects: 3, users: 5, seed: 21, duplicateRate: 0.05, secret: SECRET });
    environment = await startEmbeddedEnvironment({ state: stream.state, secret: SECRET, tuning: { coalesceWindowMs: 20, portFlushMs: 5, mapBatchMs: 1 } });
    report = await replayRecording({
      source: 'generated',
      deliveries: fromList(stream.deliveries),
      target: environment.target,
      pacing: { mode: 'asap' },
      concurrency: 20,
      settleTimeoutMs: 30_000,
      counters: environment.counters,
      convergence: environment.convergence,
    });
  });
  after(() => environment.close());

  test('every delivery is sent and acknowledged', () => {
    assert.equal(report.sent, 400);
    assert.equal(report.acknowledged, 400);
    assert.equal(report.errors, 0);
  });

  test('retries count as duplicates', () => {
    assert.deepEqual(report.statusCounts, { '200': stream.summary.retries, '202': stream.summary.unique });
  });

  test('every stored delivery has a result', () => {
    assert.ok(!('skipped' in report.endToEnd));
    assert.equal(report.endToEnd.expected, stream.summary.unique);
    assert.equal(report.endToEnd.observed, stream.summary.unique);
    assert.equal(report.endToEnd.latencyMs?.count, stream.summary.unique);
  });

  test('no result failed or was rejected', () => {
    assert.ok(!('skipped' in report.endToEnd));
    const outcomes = report.endToEnd.outcomes;
    assert.deepEqual({ failed: outcomes.failed, rejected: outcomes.rejected, deadLettered: outcomes['dead-lettered'] }, { failed: undefined, rejected: undefined, deadLettered: undefined });
  });

  test('acknowledgement latency covers every delivery', () => {
    assert.equal(report.ackLatencyMs?.count, 400);
  });

  test('Jira and Port requests are counted', () => {
    assert.ok((report.jira?.total ?? 0) > 0);
    assert.ok((report.port?.byEndpoint['POST /v1/blueprints/{bp}/entities/bulk'] ?? 0) > 0);
  });

  test('Port issues converge to Jira', async () => {
    assert.deepEqual(actualIssues(environment.port), await expectedIssues(environment.jira));
  });

  test('report says Port converged', () => {
    assert.equal(report.convergence?.converged, true);
    assert.ok((report.convergence?.expected ?? 0) > 0);
  });

  test('Port projects are the projects not in the trash', () => {
    const expected = stream.state.final.projects.filter((project) => project.status !== 'trashed').map((project) => project.key).sort();
    assert.deepEqual(identifiers(environment.port, 'jiraProject'), expected);
  });
});
