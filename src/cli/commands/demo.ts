import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ky from 'ky';
import type { ServiceConfig } from '../../config/service-config.js';
import { createLogger } from '../../core/logger.js';
import type { ProcessedResult } from '../../core/results.js';
import { demoSteps, seedDemoData, type DemoStep } from '../../demo/scenario.js';
import { signBody } from '../../ingress/signature.js';
import { DEFAULT_TUNING } from '../../pipeline/pipeline.js';
import { startService, WEBHOOK_PATH, type RunningService } from '../../service/service.js';
import { startJiraSimulator } from '../../simulators/jira/index.js';
import { startPortSimulator } from '../../simulators/port/index.js';
import { onShutdownSignals } from '../signals.js';
import { formatEntities, formatSummary, type DemoRow } from './demo-report.js';

const DEMO_EMAIL = 'demo@example.com';
/** Credentials of the in-process Jira simulator only; they open nothing else. */
const DEMO_API_TOKEN = 'demo-api-token';
const RESULT_TIMEOUT_MS = 15_000;

/**
 * Start both simulators and the service on free loopback ports, send the
 * demo deliveries one by one (each after changing the Jira simulator to the
 * state it reports), print what became of each and Port's final entities.
 * Returns 0 when every delivery ended as planned (no `failed` outcome).
 */
export async function runDemo(options: { readonly keepRunning: boolean }): Promise<number> {
  const secret = randomBytes(24).toString('hex');
  const feedToken = randomBytes(16).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'jira-port-stream-demo-'));
  const jira = await startJiraSimulator({ auth: { email: DEMO_EMAIL, apiToken: DEMO_API_TOKEN } });
  const port = await startPortSimulator();
  seedDemoData(jira.state);

  // Warnings such as the forged delivery's 401 are part of the demo and shown in its table.
  const logger = createLogger({ level: 'error', destination: process.stderr });
  const service = await startService(demoConfig(jira.url, port, secret, feedToken, dataDir), logger);
  const results = new Map<string, ProcessedResult>();
  service.stream.results$.subscribe((result) => results.set(result.deliveryId, result));

  const rows: DemoRow[] = [];
  for (const step of demoSteps()) rows.push(await runStep(step, service, jira.state, secret, results));

  process.stdout.write(`${formatSummary(rows)}\n\n${formatEntities(port.state.allEntities())}\n`);
  const failed = rows.filter((row) => row.outcome === 'failed' || row.outcome === 'dead-lettered').length;

  if (options.keepRunning) {
    process.stdout.write(
      [
        '',
        `Live page:        ${service.url}/?token=${feedToken}&from=0`,
        `Result feed:      ${service.url.replace('http', 'ws')}/feed?token=${feedToken}`,
        `Webhook ingress:  ${service.url}${WEBHOOK_PATH} (secret ${secret})`,
        `Jira simulator:   ${jira.url} (admin API ${jira.url}/_sim/; it sends its own signed webhooks to the ingress)`,
        `Port simulator:   ${port.url} (all entities: ${port.url}/_sim/entities)`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    jira.state.setWebhook({ url: `${service.url}${WEBHOOK_PATH}`, secret });
    await onShutdownSignals(logger, () => closeAll(service, jira, port, dataDir));
    return failed === 0 ? 0 : 1;
  }

  await closeAll(service, jira, port, dataDir);
  return failed === 0 ? 0 : 1;
}

async function runStep(step: DemoStep, service: RunningService, jira: Parameters<NonNullable<DemoStep['before']>>[0], secret: string, results: Map<string, ProcessedResult>): Promise<DemoRow> {
  step.before?.(jira);
  const body = JSON.stringify(step.body);
  const signature = signBody(step.tamperSignature ? `${secret}-forged` : secret, body);

  const response = await ky.post(`${service.url}${WEBHOOK_PATH}`, {
    body,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'user-agent': 'Atlassian Webhook HTTP Client',
      'x-atlassian-webhook-identifier': step.identifier,
      'x-atlassian-webhook-flow': 'Primary',
      'x-hub-signature': signature,
    },
    throwHttpErrors: false,
    retry: 0,
  });
  const answer = (await response.json()) as { duplicate?: boolean; message?: string };

  const base = { title: step.title, event: typeof step.body['webhookEvent'] === 'string' ? step.body['webhookEvent'] : '(none)', status: response.status };
  if (response.status !== 202) {
    return { ...base, outcome: answer.duplicate ? 'duplicate' : 'not accepted', detail: answer.duplicate ? 'already in the event log; not processed again' : (answer.message ?? '') };
  }
  const result = await waitForResult(results, step.identifier);
  return {
    ...base,
    outcome: result.outcome,
    upserted: result.upserted.map((ref) => `${ref.blueprint}/${ref.identifier}`),
    deleted: result.deleted.map((ref) => `${ref.blueprint}/${ref.identifier}`),
    detail: result.reason ?? result.error ?? '',
  };
}

async function waitForResult(results: Map<string, ProcessedResult>, deliveryId: string): Promise<ProcessedResult> {
  const deadline = Date.now() + RESULT_TIMEOUT_MS;
  for (;;) {
    const result = results.get(deliveryId);
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`no processed result for delivery ${deliveryId} within ${RESULT_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function demoConfig(jiraUrl: string, port: { url: string; clientId: string; clientSecret: string }, secret: string, feedToken: string, dataDir: string): ServiceConfig {
  return {
    jira: { baseUrl: jiraUrl, email: DEMO_EMAIL, apiToken: DEMO_API_TOKEN },
    port: { baseUrl: port.url, clientId: port.clientId, clientSecret: port.clientSecret },
    webhook: { secret, allowUnsigned: false, maxBodyBytes: 25 * 1024 * 1024 },
    server: { host: '127.0.0.1', port: 0 },
    eventLog: { path: join(dataDir, 'events.db'), retentionDays: 7, dedupeDays: 7 },
    pipeline: { ...DEFAULT_TUNING, coalesceWindowMs: 20 },
    feed: { token: feedToken, allowAnonymous: false, historySize: 10_000 },
    logging: { level: 'warn', pretty: false },
    shutdown: { deadlineMs: 10_000 },
  };
}

async function closeAll(service: RunningService, jira: { close(): Promise<void> }, port: { close(): Promise<void> }, dataDir: string): Promise<void> {
  await service.close();
  await jira.close();
  await port.close();
  rmSync(dataDir, { recursive: true, force: true });
}
