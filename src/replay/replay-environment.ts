import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceConfig } from '../config/service-config.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { createJiraPortStream } from '../embedded.js';
import { DEFAULT_TUNING, type PipelineTuning } from '../pipeline/pipeline.js';
import { startService } from '../service/service.js';
import { actualIssues, compareEntities, expectedIssues, type ConvergenceReport } from '../simulators/oracle.js';
import { startJiraSimulator, type JiraSimulator } from '../simulators/jira/index.js';
import { startPortSimulator, type PortSimulator } from '../simulators/port/index.js';
import { EmbeddedTarget } from './embedded-target.js';
import { HttpTarget } from './http-target.js';
import type { ReplayTarget } from './replay-target.js';
import { fromJiraCounts, fromPortCounts, type CountSource } from './simulator-counts.js';
import type { GeneratedState } from './state-file.js';
import { loadStateInto } from './state-loader.js';

/** Credentials the in-process Jira simulator accepts; they never leave this process. */
const JIRA_EMAIL = 'replay@example.com';

export interface EnvironmentOptions {
  /** Jira state to load before the replay, from `scripts/generate.ts --state`. */
  readonly state?: GeneratedState;
  /** Webhook secret the pipeline checks; without one it accepts unsigned deliveries. */
  readonly secret?: string;
  readonly tuning?: Partial<PipelineTuning>;
  readonly logger?: Logger;
}

/** Simulators, a pipeline in front of them, and the target that feeds it. */
export interface ReplayEnvironment {
  readonly target: ReplayTarget;
  readonly counters: { readonly jira: CountSource; readonly port: CountSource };
  readonly jira: JiraSimulator;
  readonly port: PortSimulator;
  /** Compare Port's issue entities with the default mapping of Jira's current issues. */
  convergence(): Promise<ConvergenceReport>;
  close(): Promise<void>;
}

/**
 * Start Jira and Port simulators on 127.0.0.1 and an embedded pipeline
 * against them, with an in-memory event log. With `state`, the Jira
 * simulator is in the stream's final state first.
 */
export async function startEmbeddedEnvironment(options: EnvironmentOptions = {}): Promise<ReplayEnvironment> {
  const { jira, port, apiToken } = await startSimulators(options.state);
  const stream = await createJiraPortStream({
    jira: { baseUrl: jira.url, email: JIRA_EMAIL, apiToken },
    port: { baseUrl: port.url, clientId: port.clientId, clientSecret: port.clientSecret },
    webhook: options.secret === undefined ? { allowUnsigned: true } : { secret: options.secret },
    tuning: { ...DEFAULT_TUNING, ...options.tuning },
    logger: options.logger ?? silentLogger(),
  });
  stream.start();

  return {
    target: new EmbeddedTarget(stream),
    counters: simulatorCounters(jira, port),
    jira,
    port,
    convergence: () => convergenceOf(jira, port),
    close: async () => {
      await stream.stop(10_000);
      await jira.close();
      await port.close();
    },
  };
}

/**
 * Start Jira and Port simulators and the service on 127.0.0.1 (a SQLite
 * event log in a temporary folder, a random feed token), and a target that
 * replays to the service over HTTP and watches its feed.
 */
export async function startLocalServiceEnvironment(options: EnvironmentOptions = {}): Promise<ReplayEnvironment & { readonly serviceUrl: string }> {
  const { jira, port, apiToken } = await startSimulators(options.state);
  const dataDir = mkdtempSync(join(tmpdir(), 'jira-port-stream-replay-'));
  const feedToken = randomBytes(16).toString('hex');
  const config = localServiceConfig({ jira, port, apiToken, dataDir, feedToken, options });
  const service = await startService(config, options.logger ?? silentLogger());

  return {
    target: new HttpTarget(service.url, feedToken),
    counters: simulatorCounters(jira, port),
    jira,
    port,
    convergence: () => convergenceOf(jira, port),
    serviceUrl: service.url,
    close: async () => {
      await service.close();
      await jira.close();
      await port.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startSimulators(state: GeneratedState | undefined): Promise<{ jira: JiraSimulator; port: PortSimulator; apiToken: string }> {
  const apiToken = randomBytes(16).toString('hex');
  const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken } });
  const port = await startPortSimulator();
  if (state !== undefined) loadStateInto(jira.state, state);
  return { jira, port, apiToken };
}

function simulatorCounters(jira: JiraSimulator, port: PortSimulator): ReplayEnvironment['counters'] {
  return {
    jira: () => Promise.resolve(fromJiraCounts(jira.state.requestCounts())),
    port: () => Promise.resolve(fromPortCounts(port.state.requestCounts())),
  };
}

async function convergenceOf(jira: JiraSimulator, port: PortSimulator): Promise<ConvergenceReport> {
  return compareEntities(await expectedIssues(jira), actualIssues(port));
}

function localServiceConfig(parts: {
  jira: JiraSimulator;
  port: PortSimulator;
  apiToken: string;
  dataDir: string;
  feedToken: string;
  options: EnvironmentOptions;
}): ServiceConfig {
  const secret = parts.options.secret;
  return {
    jira: { baseUrl: parts.jira.url, email: JIRA_EMAIL, apiToken: parts.apiToken },
    port: { baseUrl: parts.port.url, clientId: parts.port.clientId, clientSecret: parts.port.clientSecret },
    webhook: { ...(secret === undefined ? {} : { secret }), allowUnsigned: secret === undefined, maxBodyBytes: 25 * 1024 * 1024 },
    server: { host: '127.0.0.1', port: 0 },
    eventLog: { path: join(parts.dataDir, 'events.db'), retentionDays: 7, dedupeDays: 7 },
    pipeline: { ...DEFAULT_TUNING, ...parts.options.tuning },
    feed: { token: parts.feedToken, allowAnonymous: false, historySize: 10_000 },
    logging: { level: 'silent', pretty: false },
    shutdown: { deadlineMs: 10_000 },
  };
}
