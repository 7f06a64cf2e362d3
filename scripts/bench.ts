import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { PipelineTuning } from '../src/pipeline/pipeline.js';
import type { JiraSimulator } from '../src/simulators/jira/index.js';
import { PER_DELIVERY_MODE, SHIPPED_MODE } from './bench-modes.js';
import { runOnce, type Environment, type PreparedRun, type RunReport, type ServiceMode } from './bench-run.js';
import type { ServiceReport } from './bench-service.js';
import { deliverySource, planWorkload, seedData, STANDARD_WORKLOAD, type WorkloadOptions } from './bench-workload.js';

/**
 * `npm run bench`: the standard burst workload through the service's HTTP
 * ingress, run twice in one process tree: first with the pipeline's
 * batching off (one Jira fetch and one Port request per delivery, as Ocean
 * does), then as shipped. Prints one block per run and the ratios.
 */

const USAGE = `Usage: node dist/scripts/bench.js [options]

  --deliveries N          deliveries of the as-shipped run (default ${STANDARD_WORKLOAD.deliveries})
  --ocean-deliveries N    deliveries of the per-delivery run, a smaller sample because
                          that mode is slow (default 2000)
  --rate N                offered deliveries per second (default: as fast as the ingress answers)
  --concurrency N         HTTP requests the sender keeps in flight (default 32)
  --only MODE             run only "per-delivery" or "shipped"
  --seed N                workload seed (default ${STANDARD_WORKLOAD.seed})
  --tuning JSON           pipeline tuning of the shipped run, over the defaults,
                          such as '{"coalesceWindowMs":100}'
  --timeout-s N           give up waiting for a run's results after N seconds (default 900)
  --json                  print the reports as JSON instead of text
`;

const ENVIRONMENT: Environment = { jiraLatencyMs: 80, portLatencyMs: 40, jiraBurstPerSecond: 100 };
const WEBHOOK_SECRET = 'bench-webhook-secret';

interface BenchOptions {
  readonly deliveries: number;
  readonly oceanDeliveries: number;
  readonly rate?: number;
  readonly concurrency: number;
  readonly only?: string;
  readonly seed: number;
  readonly tuning: Partial<PipelineTuning>;
  readonly timeoutMs: number;
  readonly json: boolean;
}

function parseOptions(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      deliveries: { type: 'string' },
      'ocean-deliveries': { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      only: { type: 'string' },
      seed: { type: 'string' },
      tuning: { type: 'string' },
      'timeout-s': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (values.only !== undefined && values.only !== PER_DELIVERY_MODE.name && values.only !== SHIPPED_MODE.name) {
    throw new Error(`--only must be "${PER_DELIVERY_MODE.name}" or "${SHIPPED_MODE.name}", got "${values.only}"`);
  }

  const rate = values.rate === undefined ? undefined : positive('--rate', values.rate);
  return {
    deliveries: positive('--deliveries', values.deliveries ?? String(STANDARD_WORKLOAD.deliveries)),
    oceanDeliveries: positive('--ocean-deliveries', values['ocean-deliveries'] ?? '2000'),
    ...(rate !== undefined ? { rate } : {}),
    concurrency: positive('--concurrency', values.concurrency ?? '32'),
    ...(values.only !== undefined ? { only: values.only } : {}),
    seed: positive('--seed', values.seed ?? String(STANDARD_WORKLOAD.seed)),
    tuning: values.tuning === undefined ? {} : (JSON.parse(values.tuning) as Partial<PipelineTuning>),
    timeoutMs: positive('--timeout-s', values['timeout-s'] ?? '900') * 1000,
    json: values.json === true,
  };
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

function preparer(workload: WorkloadOptions): (jira: JiraSimulator) => PreparedRun {
  return (jira) => {
    jira.state.load(seedData(workload));
    const plan = planWorkload(workload);
    return {
      next: deliverySource(jira.state, plan, workload, WEBHOOK_SECRET),
      deliveries: plan.deliveries,
      expectedResults: plan.updates + plan.deletes,
      touchedIssueIds: plan.touchedIssueIds,
    };
  };
}

async function runMode(mode: ServiceMode, workload: WorkloadOptions, options: BenchOptions): Promise<RunReport> {
  process.stderr.write(`${mode.name}: ${workload.deliveries} deliveries...\n`);
  return runOnce(
    {
      mode,
      environment: ENVIRONMENT,
      prepare: preparer(workload),
      senderConcurrency: options.concurrency,
      ...(options.rate !== undefined ? { ratePerSecond: options.rate } : {}),
      timeoutMs: options.timeoutMs,
      onProgress: (report: ServiceReport, expected: number) => process.stderr.write(`  ${report.processed}/${expected} processed, ${report.inFlight} in flight\n`),
    },
    WEBHOOK_SECRET,
  );
}

/** Returns the run's deliveries per second, Jira requests per delivery and Port requests per written entity. */
export function figuresOf(run: RunReport): Record<string, number> {
  return {
    deliveriesPerSecond: run.deliveries / (run.durationMs / 1000),
    jiraRequestsPerDelivery: run.jiraRequests / run.deliveries,
    portRequestsPerEntity: run.service.writtenEntities === 0 ? 0 : run.portRequests / run.service.writtenEntities,
  };
}

function describe(run: RunReport, options: BenchOptions): string {
  const figures = figuresOf(run);
  const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  const { latencyMs, outcomes } = run.service;
  const convergence = run.convergence;
  return [
    `mode ${run.mode}${run.timedOut ? ' (TIMED OUT: figures are partial)' : ''}`,
    `  deliveries              ${run.deliveries} sent (${run.service.processed} processed results; duplicates get none)`,
    `  offered rate            ${options.rate === undefined ? 'as fast as the ingress answers' : `${options.rate}/s`}, ${options.concurrency} requests in flight`,
    `  ingress statuses        ${JSON.stringify(run.send.statuses)}`,
    `  outcomes                ${JSON.stringify(outcomes)}`,
    `  end to end              ${(run.durationMs / 1000).toFixed(1)} s, ${figures['deliveriesPerSecond']?.toFixed(1)} deliveries/s`,
    `  Jira requests           ${run.jiraRequests} (${figures['jiraRequestsPerDelivery']?.toFixed(3)} per delivery), statuses ${JSON.stringify(run.jiraStatuses)}`,
    `  Jira by endpoint        ${JSON.stringify(run.jiraByEndpoint)}`,
    `  Port requests           ${run.portRequests} for ${run.service.writtenEntities} written entities (${figures['portRequestsPerEntity']?.toFixed(3)} per entity)`,
    `  Port by endpoint        ${JSON.stringify(run.portByEndpoint)}`,
    `  delivery-to-Port ms     p50 ${latencyMs.p50}, p95 ${latencyMs.p95}, p99 ${latencyMs.p99}, max ${latencyMs.max} (${latencyMs.count} results that wrote)`,
    `  service memory          peak RSS ${mib(run.service.peakRssBytes)}, peak heap used ${mib(run.service.peakHeapBytes)}`,
    `  converged               ${convergence.converged ? 'yes' : 'NO'} (${convergence.actual} of ${convergence.expected} expected jiraIssue entities; ` +
      `${convergence.missing.length} missing, ${convergence.unexpected.length} unexpected, ${convergence.different.length} different)`,
    ...(run.service.errors.length > 0 ? [`  first errors            ${run.service.errors.join(' | ')}`] : []),
  ].join('\n');
}

function comparison(perDelivery: RunReport, shipped: RunReport): string {
  const slow = figuresOf(perDelivery);
  const fast = figuresOf(shipped);
  const speedup = (fast['deliveriesPerSecond'] ?? 0) / (slow['deliveriesPerSecond'] ?? 1);
  return `shipped vs per-delivery: ${speedup.toFixed(1)}x the deliveries/s ` +
    `(per-delivery run on a sample of ${perDelivery.deliveries} deliveries, shipped on ${shipped.deliveries})`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const base = { ...STANDARD_WORKLOAD, seed: options.seed };
  process.stderr.write(`machine: ${cpus().length} cores, Node ${process.version}; Jira ${ENVIRONMENT.jiraLatencyMs} ms, ` +
    `Port ${ENVIRONMENT.portLatencyMs} ms, Jira burst limit ${ENVIRONMENT.jiraBurstPerSecond} requests/s\n`);

  const runs: RunReport[] = [];
  if (options.only !== SHIPPED_MODE.name) runs.push(await runMode(PER_DELIVERY_MODE, { ...base, deliveries: options.oceanDeliveries }, options));
  const shipped = { ...SHIPPED_MODE, tuning: { ...SHIPPED_MODE.tuning, ...options.tuning } };
  if (options.only !== PER_DELIVERY_MODE.name) runs.push(await runMode(shipped, { ...base, deliveries: options.deliveries }, options));

  if (options.json) {
    process.stdout.write(`${JSON.stringify(runs.map((run) => ({ ...run, figures: figuresOf(run) })), null, 2)}\n`);
  } else {
    process.stdout.write(`${runs.map((run) => describe(run, options)).join('\n\n')}\n`);
    const [perDelivery, shipped] = runs;
    if (runs.length === 2 && perDelivery && shipped) process.stdout.write(`\n${comparison(perDelivery, shipped)}\n`);
  }
  if (runs.some((run) => !run.convergence.converged || run.timedOut)) process.exitCode = 1;
}

await main();
