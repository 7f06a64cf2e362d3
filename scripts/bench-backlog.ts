import { parseArgs } from 'node:util';
import { runOnce } from './bench-run.js';
import { deliverySource, planWorkload, seedData, STANDARD_WORKLOAD, type WorkloadOptions } from './bench-workload.js';
import { SHIPPED_MODE } from './bench-modes.js';

/**
 * `npm run bench:backlog`: a burst of 100,000 deliveries through the HTTP
 * ingress of the service as shipped. The ingress accepts deliveries faster
 * than Jira's and Port's latency let the pipeline finish them, so a backlog
 * builds up in the SQLite event log. The run reports the service's peak
 * heap and RSS.
 */

const WEBHOOK_SECRET = 'bench-webhook-secret';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { deliveries: { type: 'string' }, 'timeout-s': { type: 'string' } } });
  const deliveries = Number(values.deliveries ?? '100000');
  if (!Number.isInteger(deliveries) || deliveries < 1) throw new Error(`--deliveries must be a positive integer, got "${values.deliveries}"`);

  // 5 % deletes of 100,000 deliveries would delete every one of the 2,000 issues, so this run deletes 0.5 %.
  const workload: WorkloadOptions = { ...STANDARD_WORKLOAD, deliveries, deleteShare: 0.005 };
  const run = await runOnce(
    {
      mode: SHIPPED_MODE,
      environment: { jiraLatencyMs: 80, portLatencyMs: 40, jiraBurstPerSecond: 100 },
      prepare: (jira) => {
        jira.state.load(seedData(workload));
        const plan = planWorkload(workload);
        return { next: deliverySource(jira.state, plan, workload, WEBHOOK_SECRET), deliveries: plan.deliveries, expectedResults: plan.updates + plan.deletes, touchedIssueIds: plan.touchedIssueIds };
      },
      senderConcurrency: 32,
      timeoutMs: Number(values['timeout-s'] ?? '1800') * 1000,
      onProgress: (report, expected) => process.stderr.write(`  ${report.processed}/${expected} processed, ${report.inFlight} in flight\n`),
    },
    WEBHOOK_SECRET,
  );

  const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  const sendSeconds = (run.send.finishedAt - run.send.startedAt) / 1000;
  process.stdout.write([
    `backlog run${run.timedOut ? ' (TIMED OUT: figures are partial)' : ''}`,
    `  deliveries              ${run.deliveries} sent in ${sendSeconds.toFixed(1)} s (${(run.deliveries / sendSeconds).toFixed(0)}/s accepted), statuses ${JSON.stringify(run.send.statuses)}`,
    `  backlog when sent       ${run.deliveries - run.processedAtSendEnd} deliveries not yet processed (in the event log)`,
    `  end to end              ${(run.durationMs / 1000).toFixed(1)} s, ${run.service.processed} processed results`,
    `  service memory          peak heap used ${mib(run.service.peakHeapBytes)}, peak RSS ${mib(run.service.peakRssBytes)}`,
    `  converged               ${run.convergence.converged ? 'yes' : 'NO'} (${run.convergence.actual} of ${run.convergence.expected} expected jiraIssue entities)`,
  ].join('\n') + '\n');
  if (!run.convergence.converged || run.timedOut) process.exitCode = 1;
}

await main();
