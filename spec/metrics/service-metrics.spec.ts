import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { silentLogger } from '../../src/core/logger.js';
import { signBody } from '../../src/ingress/signature.js';
import { startService, WEBHOOK_PATH } from '../../src/service/service.js';
import { startServiceHarness, serviceConfig, type ServiceHarness } from '../support/service-harness.js';
import { parseSamples, sampleSum, type Sample } from './prometheus-text.js';

const P = 'jira_port_stream_';

describe('GET /metrics after a run', () => {
  let harness: ServiceHarness;
  let feedClient: WebSocket;
  let response: Response;
  let samples: Sample[];

  before(async () => {
    harness = await startServiceHarness();
    const { jira, port, service } = harness;
    port.state.rejectIdentifiers({ blueprint: 'jiraIssue', identifiers: ['CAT-2'], statusCode: 422 });
    jira.state.setFaults({ failNext: [{ path: '/rest/api/3/search/jql', status: 429, count: 1, retryAfterSeconds: 1 }] });
    port.state.setFaults({ failNext: [{ path: '/v1/blueprints/{bp}/entities/bulk', status: 429, count: 1, retryAfterSeconds: 1 }] });

    feedClient = new WebSocket(`${service.url.replace('http', 'ws')}/feed`);
    await new Promise((resolve, reject) => feedClient.once('open', resolve).once('error', reject));

    jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    jira.state.createIssue({ projectKey: 'CAT', summary: 'First' });
    jira.state.createIssue({ projectKey: 'CAT', summary: 'Rejected by Port' });
    const forged = JSON.stringify({ webhookEvent: 'jira:issue_created' });
    await fetch(`${service.url}${WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': signBody('wrong-secret', forged) }, body: forged });
    await harness.settle();

    response = await fetch(`${service.url}/metrics`);
    samples = parseSamples(await response.text());
  });

  after(async () => {
    feedClient.terminate();
    await harness.close();
  });

  test('content type is the text format', () => {
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  });

  test('deliveries by event and outcome', () => {
    assert.equal(sampleSum(samples, `${P}deliveries_total`, { event: 'jira:issue_created', outcome: 'upserted' }), 1);
    assert.equal(sampleSum(samples, `${P}deliveries_total`, { event: 'jira:issue_created', outcome: 'dead-lettered' }), 1);
    assert.equal(sampleSum(samples, `${P}deliveries_total`, { event: 'project_created' }), 1);
  });

  test('latency histogram counts every result', () => {
    assert.equal(sampleSum(samples, `${P}delivery_latency_seconds_count`), harness.results.length);
  });

  test('Jira requests by endpoint and status', () => {
    assert.equal(sampleSum(samples, `${P}requests_total`, { system: 'jira', endpoint: 'POST /rest/api/3/search/jql', status: '429' }), 1);
    assert.ok(sampleSum(samples, `${P}requests_total`, { system: 'jira', endpoint: 'POST /rest/api/3/search/jql', status: '200' }) >= 1);
  });

  test('Port requests by endpoint and status', () => {
    assert.equal(sampleSum(samples, `${P}requests_total`, { system: 'port', endpoint: 'POST /v1/blueprints/{bp}/entities/bulk', status: '429' }), 1);
    assert.ok(sampleSum(samples, `${P}requests_total`, { system: 'port', endpoint: 'POST /v1/auth/access_token', status: '200' }) >= 1);
  });

  test('rate-limit waits of Jira', () => {
    const jiraWaits = samples.filter((sample) => sample.name === `${P}rate_limit_waits_total` && sample.labels['system'] === 'jira' && sample.labels['reason'] !== 'concurrency' && sample.labels['reason'] !== 'backoff');

    assert.ok(jiraWaits.some((sample) => sample.value >= 1), JSON.stringify(jiraWaits));
  });

  test('rate-limit waits of Port', () => {
    assert.equal(sampleSum(samples, `${P}rate_limit_waits_total`, { system: 'port', reason: '429 POST /v1/blueprints/{bp}/entities/bulk' }), 1);
  });

  test('batch sizes', () => {
    assert.ok(sampleSum(samples, `${P}batch_size_count`, { system: 'jira', operation: 'issuesById' }) >= 1);
    assert.ok(sampleSum(samples, `${P}batch_size_count`, { system: 'port', operation: 'upsert' }) >= 1);
  });

  test('log offsets and backlog', () => {
    assert.equal(sampleSum(samples, `${P}log_head_offset`), harness.service.stream.log.headOffset());
    assert.equal(sampleSum(samples, `${P}log_backlog`), 0);
  });

  test('dead letters waiting', () => {
    assert.equal(sampleSum(samples, `${P}dead_letters`), 1);
  });

  test('feed clients', () => {
    assert.equal(sampleSum(samples, `${P}feed_clients`), 1);
    assert.equal(sampleSum(samples, `${P}feed_events_total`, { event: 'clientsAccepted' }), 1);
  });

  test('ingress responses by status', () => {
    assert.equal(sampleSum(samples, `${P}ingress_responses_total`, { status: '401' }), 1);
    assert.equal(sampleSum(samples, `${P}ingress_responses_total`, { status: '202' }), harness.service.stream.log.headOffset());
  });

  test('process metrics', () => {
    assert.ok(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total'));
  });
});

describe('GET /metrics when disabled', () => {
  test('answers 404', async (t) => {
    const harness = await startServiceHarness({ memoryLog: true });
    const dataDir = mkdtempSync(join(tmpdir(), 'jps-metrics-'));
    const base = serviceConfig(harness.jira, harness.port, dataDir, { memoryLog: true });
    const service = await startService({ ...base, metrics: { enabled: false } }, silentLogger());
    t.after(async () => {
      await service.close();
      await harness.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const response = await fetch(`${service.url}/metrics`);
    await response.arrayBuffer();

    assert.equal(response.status, 404);
  });
});
