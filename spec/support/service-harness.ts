import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceConfig } from '../../src/config/service-config.js';
import type { ProcessedResult } from '../../src/core/results.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { DEFAULT_TUNING, type PipelineTuning } from '../../src/pipeline/pipeline.js';
import { startService, WEBHOOK_PATH, type RunningService } from '../../src/service/service.js';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira/index.js';
import { startPortSimulator, type PortSimulator } from '../../src/simulators/port/index.js';
import { JIRA_EMAIL, JIRA_TOKEN, TEST_SECRET } from './harness.js';

/** The service on a temporary SQLite log, with both simulators; the Jira simulator sends its webhooks to the ingress. */
export interface ServiceHarness {
  readonly jira: JiraSimulator;
  readonly port: PortSimulator;
  readonly service: RunningService;
  readonly config: ServiceConfig;
  readonly results: ProcessedResult[];
  /** Wait until Jira sent every webhook and the pipeline processed every delivery. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface ServiceHarnessOptions {
  /** Path of a port-app-config YAML file; default the bundled mapping. */
  readonly mapping?: string;
  readonly tuning?: Partial<PipelineTuning>;
  readonly feedToken?: string;
  readonly logger?: Logger;
  /** Use an in-memory event log instead of a temporary SQLite file. */
  readonly memoryLog?: boolean;
}

export async function startServiceHarness(options: ServiceHarnessOptions = {}): Promise<ServiceHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jps-spec-'));
  const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
  const port = await startPortSimulator();
  const config = serviceConfig(jira, port, dataDir, options);
  const service = await startService(config, options.logger ?? silentLogger());
  const results: ProcessedResult[] = [];
  service.stream.results$.subscribe((result) => results.push(result));
  jira.state.setWebhook({ url: `${service.url}${WEBHOOK_PATH}`, secret: TEST_SECRET });

  return {
    jira,
    port,
    service,
    config,
    results,
    async settle() {
      await jira.state.settled();
      await service.stream.settled(30_000);
    },
    async close() {
      await service.close();
      await jira.close();
      await port.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function serviceConfig(jira: JiraSimulator, port: PortSimulator, dataDir: string, options: ServiceHarnessOptions = {}): ServiceConfig {
  return {
    jira: { baseUrl: jira.url, email: JIRA_EMAIL, apiToken: JIRA_TOKEN },
    port: { baseUrl: port.url, clientId: port.clientId, clientSecret: port.clientSecret },
    webhook: { secret: TEST_SECRET, allowUnsigned: false, maxBodyBytes: 25 * 1024 * 1024 },
    server: { host: '127.0.0.1', port: 0 },
    ...(options.mapping !== undefined ? { mapping: options.mapping } : {}),
    eventLog: { path: options.memoryLog ? ':memory:' : join(dataDir, 'events.db'), retentionDays: 7, dedupeDays: 7 },
    pipeline: { ...DEFAULT_TUNING, coalesceWindowMs: 10, portFlushMs: 5, mapBatchMs: 1, ...options.tuning },
    feed: { allowAnonymous: options.feedToken === undefined, historySize: 1000, ...(options.feedToken !== undefined ? { token: options.feedToken } : {}) },
    logging: { level: 'silent', pretty: false },
    shutdown: { deadlineMs: 10_000 },
  };
}
