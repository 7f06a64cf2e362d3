import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { signBody } from '../src/ingress/signature.js';
import { createWebhookHandler } from '../src/ingress/webhook-handler.js';
import type { EventLog } from '../src/log/event-log.js';
import { MemoryEventLog } from '../src/log/memory-event-log.js';
import { SqliteEventLog } from '../src/log/sqlite-event-log.js';
import { sendDeliveries } from './bench-sender.js';

/**
 * `npm run bench:ingress`: deliveries per second that the webhook ingress
 * accepts (signature check, parse, append, 202) with the durable SQLite log
 * and with the memory log. Each configuration runs the ingress in a child
 * process on 127.0.0.1, so the ingress and the sender in this process each
 * get a core of a 2-core machine. No pipeline runs, so the figure is the
 * ingress and the log alone. With `--rounds N` the setups take turns N
 * times and the summary gives each one's median, so that load from other
 * processes spreads over all setups alike.
 */

const WEBHOOK_SECRET = 'bench-webhook-secret';
const PAYLOAD_PATH = 'fixtures/payloads/issue_updated.json';

/** One event log setup to measure. */
interface LogSetup {
  readonly name: string;
  readonly description: string;
  open(directory: string): EventLog;
}

const SETUPS: readonly LogSetup[] = [
  {
    name: 'sqlite',
    description: 'SQLite, WAL, synchronous=FULL, group commit 2 ms (as shipped)',
    open: (directory) => SqliteEventLog.open(join(directory, 'events.db')),
  },
  {
    name: 'sqlite-no-wait',
    description: 'SQLite, WAL, synchronous=FULL, group commit 0 ms (only appends of one event-loop turn share a commit)',
    open: (directory) => SqliteEventLog.open(join(directory, 'events.db'), { groupCommitMs: 0 }),
  },
  {
    name: 'memory',
    description: 'memory log (nothing survives a restart)',
    open: () => new MemoryEventLog(),
  },
];

/** Counters the child prints when it stops. */
interface IngressStats {
  readonly appended: number;
  readonly transactions?: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      deliveries: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '64' },
      rounds: { type: 'string', default: '1' },
      only: { type: 'string' },
    },
  });
  if (values.serve !== undefined) return serveIngress(setupNamed(values.serve));

  const deliveries = positiveInteger('--deliveries', values.deliveries);
  const concurrency = positiveInteger('--concurrency', values.concurrency);
  const rounds = positiveInteger('--rounds', values.rounds);
  const setups = values.only === undefined ? SETUPS : [setupNamed(values.only)];
  process.stdout.write(`bench:ingress: ${deliveries} deliveries of ${PAYLOAD_PATH}, ${concurrency} requests in flight, ${rounds} round(s), Node ${process.version}\n`);

  const rates = new Map<string, number[]>(setups.map((setup) => [setup.name, []]));
  for (let round = 1; round <= rounds; round += 1) {
    for (const setup of setups) rates.get(setup.name)?.push(await measure(setup, deliveries, concurrency));
  }
  if (rounds > 1) printSummary(rates);
}

/** Print the median, minimum and maximum accept rate of each setup. */
function printSummary(rates: ReadonlyMap<string, readonly number[]>): void {
  process.stdout.write('summary (deliveries/s):\n');
  for (const [name, values] of rates) {
    const sorted = [...values].sort((left, right) => left - right);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    process.stdout.write(`  ${name}: median ${median}, min ${sorted[0] ?? 0}, max ${sorted[sorted.length - 1] ?? 0}\n`);
  }
}

/** Run one setup's ingress in a child process, send the deliveries, print the accept rate and return it. */
async function measure(setup: LogSetup, deliveries: number, concurrency: number): Promise<number> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', setup.name], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const { url } = JSON.parse(String((await lines.next()).value)) as { url: string };

  const body = readFileSync(PAYLOAD_PATH);
  const signature = signBody(WEBHOOK_SECRET, body);
  let next = 0;
  const source = () => {
    if (next >= deliveries) return undefined;
    next += 1;
    return { body, headers: { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': `bench-${next}`, 'x-hub-signature': signature } };
  };
  const report = await sendDeliveries(source, { url, concurrency });

  const stats = await stopChild(child, lines);
  const seconds = (report.finishedAt - report.startedAt) / 1000;
  const accepted = report.statuses['202'] ?? 0;
  const rate = Math.round(accepted / seconds);
  const perCommit = stats.transactions === undefined ? '' : `, ${stats.transactions} commits (${(stats.appended / stats.transactions).toFixed(1)} deliveries per commit)`;
  process.stdout.write(
    `${setup.name}: ${setup.description}\n` +
      `  ${accepted} of ${report.sent} accepted in ${seconds.toFixed(2)} s: ${rate} deliveries/s${perCommit}; statuses ${JSON.stringify(report.statuses)}\n`,
  );
  return rate;
}

async function stopChild(child: ChildProcess, lines: AsyncIterator<string>): Promise<IngressStats> {
  child.kill('SIGTERM');
  const stats = JSON.parse(String((await lines.next()).value)) as IngressStats;
  await new Promise((resolve) => child.once('exit', resolve));
  return stats;
}

/** Child mode: serve the ingress on one log, print its URL, and print the log's counters on SIGTERM. */
async function serveIngress(setup: LogSetup): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-ingress-'));
  const log = setup.open(directory);
  const ingress = createWebhookHandler({ log, secret: WEBHOOK_SECRET });
  const server = createServer((request, response) => ingress.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/integration/webhook` })}\n`);

  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    const stats: IngressStats = log instanceof SqliteEventLog ? log.stats() : { appended: log.headOffset() };
    void log.close().finally(() => {
      rmSync(directory, { recursive: true, force: true });
      process.stdout.write(`${JSON.stringify(stats)}\n`);
    });
  });
}

function setupNamed(name: string): LogSetup {
  const setup = SETUPS.find((candidate) => candidate.name === name);
  if (setup === undefined) throw new Error(`Unknown setup "${name}": expected one of ${SETUPS.map((candidate) => candidate.name).join(', ')}.`);
  return setup;
}

function positiveInteger(option: string, value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new Error(`Invalid ${option} "${value}": expected a positive integer.`);
  return parsed;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:ingress failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
