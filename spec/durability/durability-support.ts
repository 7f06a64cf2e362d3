import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { CommandIo } from '../../src/cli/commands/log-command.js';
import { loadServiceConfig } from '../../src/config/service-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { signBody } from '../../src/ingress/signature.js';
import { startService, WEBHOOK_PATH, type RunningService } from '../../src/service/service.js';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira/index.js';
import { startPortSimulator, type PortSimulator } from '../../src/simulators/port/index.js';
import { JIRA_EMAIL, JIRA_TOKEN, TEST_SECRET } from '../support/harness.js';

/** A service configuration file in a temporary folder, with the environment that contains its secrets. */
export interface ConfigFile {
  readonly path: string;
  readonly directory: string;
  readonly eventLogPath: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface ConfigFileOptions {
  readonly mapping?: string;
  readonly shutdownDeadlineMs?: number;
  readonly logLevel?: string;
  /** Event log path; default `events.db` in the temporary folder. */
  readonly eventLogPath?: string;
}

/**
 * Write a YAML configuration that points the service at both simulators,
 * with a SQLite log in a new temporary folder that is removed when the test ends.
 */
export function writeConfigFile(t: TestContext, jira: JiraSimulator, port: PortSimulator, options: ConfigFileOptions = {}): ConfigFile {
  const directory = mkdtempSync(join(tmpdir(), 'jps-durability-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  const eventLogPath = options.eventLogPath ?? join(directory, 'events.db');

  const document = {
    jira: { baseUrl: jira.url, email: JIRA_EMAIL },
    port: { baseUrl: port.url, clientId: port.clientId },
    server: { host: '127.0.0.1', port: 0 },
    ...(options.mapping !== undefined ? { mapping: options.mapping } : {}),
    eventLog: { path: eventLogPath },
    pipeline: { coalesceWindowMs: 10, portFlushMs: 5, mapBatchMs: 1 },
    feed: { allowAnonymous: true },
    logging: { level: options.logLevel ?? 'info' },
    shutdown: { deadlineMs: options.shutdownDeadlineMs ?? 10_000 },
  };
  const path = join(directory, 'jira-port-stream.yaml');
  writeFileSync(path, stringify(document));

  const env = { JIRA_API_TOKEN: JIRA_TOKEN, PORT_CLIENT_SECRET: port.clientSecret, WEBHOOK_SECRET: TEST_SECRET };
  return { path, directory, eventLogPath, env };
}

/** Both simulators on loopback and a configuration file for them. */
export interface SimulatorSetup {
  readonly jira: JiraSimulator;
  readonly port: PortSimulator;
  readonly config: ConfigFile;
}

/** Start both simulators (Jira responds after `jiraLatencyMs`), closed when the test ends, and write a configuration file for them. */
export async function startSimulators(t: TestContext, options: ConfigFileOptions & { readonly jiraLatencyMs?: number } = {}): Promise<SimulatorSetup> {
  const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN }, ...(options.jiraLatencyMs !== undefined ? { latencyMs: options.jiraLatencyMs } : {}) });
  const port = await startPortSimulator();
  t.after(() => jira.close());
  t.after(() => port.close());
  return { jira, port, config: writeConfigFile(t, jira, port, options) };
}

/**
 * Start the service in this process on the configuration file, with logs
 * dropped, and point the Jira simulator's webhooks at it. The service is
 * closed when the test ends (closing twice is a no-op).
 */
export async function startServiceInProcess(t: TestContext, config: ConfigFile, jira: JiraSimulator): Promise<RunningService> {
  const service = await startService(loadServiceConfig(config.path, config.env), silentLogger());
  t.after(() => service.close());
  jira.state.setWebhook({ url: `${service.url}${WEBHOOK_PATH}`, secret: TEST_SECRET });
  return service;
}

/** Wait until Jira sent every webhook and the service processed every delivery. */
export async function settle(jira: JiraSimulator, service: RunningService): Promise<void> {
  await jira.state.settled();
  await service.stream.settled(30_000);
}

/** POST a signed delivery to the service's webhook path, as Jira does. */
export function postDelivery(baseUrl: string, body: unknown, identifier: string): Promise<Response> {
  const text = JSON.stringify(body);
  return fetch(`${baseUrl}/integration/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'x-atlassian-webhook-identifier': identifier,
      'x-hub-signature': signBody(TEST_SECRET, text),
    },
    body: text,
  });
}

/** Build a `jira:issue_updated` body for an issue of the Jira simulator. */
export function issueUpdatedBody(issue: { id: string; key: string }): Record<string, unknown> {
  return { webhookEvent: 'jira:issue_updated', timestamp: Date.now(), issue: { id: issue.id, key: issue.key, fields: {} } };
}

/** Command streams that collect what a command writes, and the secrets it reads. */
export function captureIo(env: NodeJS.ProcessEnv): { io: CommandIo; stdout(): string; stderr(): string } {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (chunks: string[]): Writable =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
  return { io: { stdout: sink(out), stderr: sink(err), env }, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** Find the repository root: the nearest folder above this file with a package.json (works from `spec/` and `dist/spec/`). */
export function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
  return directory;
}

/** How the exit of a child process was observed. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A CLI child process (`jira-port-stream ...`) with its output. */
export interface CliChild {
  readonly process: ChildProcess;
  /** JSON log lines from stdout, parsed. */
  readonly logLines: Array<Record<string, unknown>>;
  stderr(): string;
  readonly exited: Promise<ChildExit>;
}

/**
 * Run the CLI in a child process: the compiled `dist/src/cli/main.js` when
 * this spec runs compiled, else `src/cli/main.ts` through tsx. The child is
 * killed when the test ends if it still runs.
 */
export function spawnCli(t: TestContext, args: readonly string[], env: NodeJS.ProcessEnv): CliChild {
  const root = repositoryRoot();
  const compiled = import.meta.url.endsWith('.js');
  const entry = compiled ? [join(root, 'dist/src/cli/main.js')] : ['--import', 'tsx', join(root, 'src/cli/main.ts')];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // The test runner marks its own subprocesses with this variable; the CLI is not a test file.
  delete childEnv['NODE_TEST_CONTEXT'];

  const child = spawn(process.execPath, [...entry, ...args], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const logLines: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) logLines.push(parseLogLine(line));
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));

  const exited = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { process: child, logLines, stderr: () => stderr.join(''), exited };
}

/** A `serve` child process that has started listening. */
export interface ServiceChild extends CliChild {
  readonly url: string;
}

/** Start `serve --config FILE` in a child process and wait for its "service started" line. */
export async function startServiceChild(t: TestContext, config: ConfigFile, timeoutMs = 30_000): Promise<ServiceChild> {
  const child = spawnCli(t, ['serve', '--config', config.path], config.env);
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    const started = child.logLines.find((line) => line['msg'] === 'service started');
    if (started !== undefined) return { ...child, url: String(started['url']) };
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`serve exited before it started (code ${child.process.exitCode}): ${child.stderr()}`);
    }
    if (Date.now() > deadline) throw new Error(`serve did not start within ${timeoutMs} ms: ${child.stderr()}`);
    await sleep(20);
  }
}

/** Resolve once `condition` is true, checking every 20 ms; reject after `timeoutMs` naming `what`. */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function parseLogLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { msg: line };
  }
}
