import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAPPING_PATH } from '../src/mapping/default-mapping.js';
import type { PipelineTuning } from '../src/pipeline/pipeline.js';
import { startJiraSimulator, type JiraSimulator } from '../src/simulators/jira/index.js';
import { actualIssues, compareEntities, expectedIssues, type ConvergenceReport } from '../src/simulators/oracle.js';
import { startPortSimulator, type PortSimulator } from '../src/simulators/port/index.js';
import { sendDeliveries, type DeliverySource, type SendReport } from './bench-sender.js';
import type { ChildMessage, ServiceReport, StartMessage } from './bench-service.js';

/** The simulated latencies and limits every run uses. */
export interface Environment {
  readonly jiraLatencyMs: number;
  readonly portLatencyMs: number;
  /** Token bucket per Jira endpoint, as Jira Cloud's burst limit. */
  readonly jiraBurstPerSecond: number;
}

/** Service setup of one run: a name, pipeline tuning and whether Jira searches are batched. */
export interface ServiceMode {
  readonly name: string;
  readonly tuning: Partial<PipelineTuning>;
  readonly batchJiraFetches: boolean;
}

export interface RunOptions {
  readonly mode: ServiceMode;
  readonly environment: Environment;
  /** Prepares Jira (load and change it) and returns the deliveries to send and what to expect. */
  readonly prepare: (jira: JiraSimulator) => PreparedRun;
  readonly senderConcurrency: number;
  readonly ratePerSecond?: number;
  /** Gives up waiting for the pipeline after this long. */
  readonly timeoutMs: number;
  /** Called about every second while the run waits for the pipeline. */
  readonly onProgress?: (report: ServiceReport, expected: number) => void;
}

export interface PreparedRun {
  /** Deliveries in send order; may change Jira as it goes. */
  readonly next: DeliverySource;
  readonly deliveries: number;
  /** Processed results the run waits for: one per distinct delivery identifier. */
  readonly expectedResults: number;
  readonly touchedIssueIds: ReadonlySet<string>;
}

export interface RunReport {
  readonly mode: string;
  readonly deliveries: number;
  readonly send: SendReport;
  readonly service: ServiceReport;
  /** Processed results when the sender had sent its last delivery; the rest waited in the event log. */
  readonly processedAtSendEnd: number;
  /** From the first request to the last processed result. */
  readonly durationMs: number;
  readonly jiraRequests: number;
  readonly jiraStatuses: Readonly<Record<string, number>>;
  readonly jiraByEndpoint: Readonly<Record<string, number>>;
  readonly portRequests: number;
  readonly portByEndpoint: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly convergence: ConvergenceReport;
  readonly timedOut: boolean;
}

const JIRA_EMAIL = 'bench@example.com';
const SECRETS = { JIRA_API_TOKEN: 'bench-jira-token', PORT_CLIENT_SECRET: 'sim-client-secret' };

/**
 * Runs one benchmark: fresh simulators in this process, the service in a
 * child process on a fresh SQLite event log, the deliveries through its HTTP
 * ingress, then waits for every processed result and checks Port against
 * Jira's state.
 */
export async function runOnce(options: RunOptions, webhookSecret: string): Promise<RunReport> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jps-bench-'));
  const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: SECRETS.JIRA_API_TOKEN } });
  const port = await startPortSimulator();
  const child = forkService();

  try {
    const prepared = options.prepare(jira);
    jira.state.setFaults({ latencyMs: options.environment.jiraLatencyMs, burstLimitPerSecond: options.environment.jiraBurstPerSecond });
    port.state.setFaults({ latencyMs: options.environment.portLatencyMs });
    jira.state.resetRequestCounts();
    port.state.resetRequestCounts();

    const url = await startChild(child, startMessage(options.mode, jira, port, dataDir, webhookSecret));
    const send = await sendDeliveries(prepared.next, {
      url: `${url}/integration/webhook`,
      concurrency: options.senderConcurrency,
      ...(options.ratePerSecond !== undefined ? { ratePerSecond: options.ratePerSecond } : {}),
    });
    const processedAtSendEnd = (await report(child)).processed;
    const { report: final, timedOut } = await waitForResults(child, prepared.expectedResults, send.startedAt + options.timeoutMs, options.onProgress);

    const expected = await expectedIssues(jira, DEFAULT_MAPPING_PATH, { issueIds: prepared.touchedIssueIds });
    const jiraCounts = jira.state.requestCounts();
    return {
      mode: options.mode.name,
      deliveries: send.sent,
      send,
      service: final,
      processedAtSendEnd,
      durationMs: Math.max(final.lastFinishedAt, send.finishedAt) - send.startedAt,
      jiraRequests: jiraCounts.total,
      jiraStatuses: jiraCounts.byStatus,
      jiraByEndpoint: jiraCounts.byEndpoint,
      portRequests: totalOf(port.state.requestCounts()),
      portByEndpoint: port.state.requestCounts(),
      convergence: compareEntities(expected, actualIssues(port)),
      timedOut,
    };
  } finally {
    await stopChild(child);
    await jira.close();
    await port.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function startMessage(mode: ServiceMode, jira: JiraSimulator, port: PortSimulator, dataDir: string, webhookSecret: string): StartMessage {
  return {
    type: 'start',
    document: {
      jira: { baseUrl: jira.url, email: JIRA_EMAIL },
      port: { baseUrl: port.url, clientId: port.clientId },
      server: { host: '127.0.0.1', port: 0 },
      eventLog: { path: join(dataDir, 'events.db') },
      logging: { level: 'silent' },
    },
    env: { ...SECRETS, WEBHOOK_SECRET: webhookSecret },
    baseDir: dataDir,
    tuning: mode.tuning,
    batchJiraFetches: mode.batchJiraFetches,
  };
}

/** Forks `bench-service` with this file's extension, so that the benchmark runs from `dist/` and under tsx alike. */
function forkService(): ChildProcess {
  const extension = extname(fileURLToPath(import.meta.url));
  return fork(fileURLToPath(new URL(`./bench-service${extension}`, import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function nextMessage<T extends ChildMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage): void => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null): void => reject(new Error(`the benchmark service exited with code ${code} while the benchmark waited for "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function startChild(child: ChildProcess, message: StartMessage): Promise<string> {
  const started = nextMessage(child, 'started');
  child.send(message);
  return (await started).url;
}

async function report(child: ChildProcess): Promise<ServiceReport> {
  const next = nextMessage(child, 'report');
  child.send({ type: 'report' });
  return next;
}

/** Polls the child until it has `expected` processed results or the deadline passes. */
async function waitForResults(
  child: ChildProcess,
  expected: number,
  deadline: number,
  onProgress: RunOptions['onProgress'],
): Promise<{ report: ServiceReport; timedOut: boolean }> {
  for (let polls = 0; ; polls++) {
    const current = await report(child);
    if (current.processed >= expected) return { report: current, timedOut: false };
    if (Date.now() > deadline) return { report: current, timedOut: true };
    if (polls % 4 === 0) onProgress?.(current, expected);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.connected) child.send({ type: 'stop' });
  else child.kill();
  await exited;
}

function totalOf(counts: Readonly<Record<string, Readonly<Record<string, number>>>>): number {
  return Object.values(counts).reduce((sum, byStatus) => sum + Object.values(byStatus).reduce((inner, count) => inner + count, 0), 0);
}
