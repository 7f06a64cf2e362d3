import { setInterval } from 'node:timers';
import { build as buildHistogram, type Histogram } from 'hdr-histogram-js';
import { decodeServiceConfig } from '../src/config/service-config.js';
import { silentLogger } from '../src/core/logger.js';
import type { ProcessedResult } from '../src/core/results.js';
import type { Entity } from '../src/mapping/types.js';
import type { PipelineTuning } from '../src/pipeline/pipeline.js';
import { PortClient } from '../src/port/client.js';
import type { BulkDeleteOutcome, BulkUpsertOutcome, PortApi, UpsertOptions } from '../src/port/types.js';
import { startService, type RunningService } from '../src/service/service.js';

/**
 * The service under benchmark, as a child process of `scripts/bench.ts` so
 * that its peak RSS is its own and the simulators and the sender run on the
 * other core. It talks to the parent over the IPC channel of `fork`:
 * `start` → `started`, `report` → `report`, `stop` → exit.
 */

/** What the parent sends to start the service. */
export interface StartMessage {
  readonly type: 'start';
  /** The YAML config document as an object, without secrets. */
  readonly document: Record<string, unknown>;
  /** Secrets, passed as the environment variables the config loader reads. */
  readonly env: Readonly<Record<string, string>>;
  readonly baseDir: string;
  readonly tuning: Partial<PipelineTuning>;
  readonly batchJiraFetches: boolean;
}

export type ParentMessage = StartMessage | { readonly type: 'report' } | { readonly type: 'stop' };

/** Latency percentiles in ms. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** The child's measurements so far. */
export interface ServiceReport {
  readonly type: 'report';
  readonly processed: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** Epoch ms of the last processed result, 0 before the first. */
  readonly lastFinishedAt: number;
  /** From `receivedAt` (ingress) to `writtenAt` (Port answered), for results that wrote to Port. */
  readonly latencyMs: LatencySummary;
  /** Entities handed to Port in upserts and deletes. */
  readonly writtenEntities: number;
  /** Peak resident set size of this process, in bytes (`process.resourceUsage().maxRSS`). */
  readonly peakRssBytes: number;
  /** Highest `heapUsed` seen by a 100 ms sampler, in bytes. */
  readonly peakHeapBytes: number;
  /** Deliveries read from the log and not yet finished, now. */
  readonly inFlight: number;
  /** First error messages of failed deliveries, for the parent to show. */
  readonly errors: readonly string[];
}

export type ChildMessage = { readonly type: 'started'; readonly url: string } | ServiceReport;

/** Counts the entities the pipeline hands to Port, the denominator of "Port requests per written entity". */
class CountingPort implements PortApi {
  entities = 0;

  constructor(private readonly inner: PortApi) {}

  upsertEntities(blueprint: string, entities: readonly Entity[], options: UpsertOptions): Promise<BulkUpsertOutcome> {
    this.entities += entities.length;
    return this.inner.upsertEntities(blueprint, entities, options);
  }

  deleteEntities(blueprint: string, identifiers: readonly string[], options: { readonly deleteDependents: boolean }): Promise<BulkDeleteOutcome> {
    this.entities += identifiers.length;
    return this.inner.deleteEntities(blueprint, identifiers, options);
  }
}

/** Collects counts, latencies and memory peaks of one service run. */
class Measurements {
  processed = 0;
  lastFinishedAt = 0;
  peakHeapBytes = 0;
  readonly outcomes: Record<string, number> = {};
  readonly errors: string[] = [];
  private readonly latency: Histogram = buildHistogram({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3 });

  record(result: ProcessedResult): void {
    this.processed++;
    this.lastFinishedAt = Math.max(this.lastFinishedAt, result.timings.finishedAt);
    this.outcomes[result.outcome] = (this.outcomes[result.outcome] ?? 0) + 1;
    if (result.timings.writtenAt !== undefined) this.latency.recordValue(Math.max(1, result.timings.writtenAt - result.timings.receivedAt));
    if (result.error !== undefined && this.errors.length < 5) this.errors.push(result.error);
  }

  sampleHeap(): void {
    this.peakHeapBytes = Math.max(this.peakHeapBytes, process.memoryUsage().heapUsed);
  }

  latencySummary(): LatencySummary {
    return {
      count: this.latency.totalCount,
      p50: this.latency.getValueAtPercentile(50),
      p95: this.latency.getValueAtPercentile(95),
      p99: this.latency.getValueAtPercentile(99),
      max: this.latency.maxValue,
    };
  }
}

async function start(message: StartMessage): Promise<{ service: RunningService; port: CountingPort }> {
  const decoded = decodeServiceConfig(message.document, { ...process.env, ...message.env }, message.baseDir);
  const config = { ...decoded, pipeline: { ...decoded.pipeline, ...message.tuning } };
  const port = new CountingPort(new PortClient({ baseUrl: config.port.baseUrl, clientId: config.port.clientId, clientSecret: config.port.clientSecret }));
  const service = await startService(config, silentLogger(), { port, batchJiraFetches: message.batchJiraFetches });
  return { service, port };
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

function main(): void {
  if (process.send === undefined) throw new Error('bench-service runs as a child of scripts/bench.ts (fork with an IPC channel), not on its own');

  const measurements = new Measurements();
  const sampler = setInterval(() => measurements.sampleHeap(), 100);
  let running: { service: RunningService; port: CountingPort } | undefined;

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'start') {
      void start(message).then((started) => {
        running = started;
        started.service.stream.results$.subscribe((result) => measurements.record(result));
        send({ type: 'started', url: started.service.url });
      });
    } else if (message.type === 'report') {
      measurements.sampleHeap();
      send({
        type: 'report',
        processed: measurements.processed,
        outcomes: measurements.outcomes,
        lastFinishedAt: measurements.lastFinishedAt,
        latencyMs: measurements.latencySummary(),
        writtenEntities: running?.port.entities ?? 0,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        peakHeapBytes: measurements.peakHeapBytes,
        inFlight: running?.service.stream.pipeline.inFlight() ?? 0,
        errors: measurements.errors,
      });
    } else {
      clearInterval(sampler);
      void (running?.service.close() ?? Promise.resolve()).finally(() => process.exit(0));
    }
  });
}

main();
