import { defer, Subject, tap, type Observable, type OperatorFunction, type Subscription } from 'rxjs';
import type { Delivery } from '../core/delivery.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { ProcessedResult } from '../core/results.js';
import type { JiraApi } from '../jira/types.js';
import type { EventLog } from '../log/event-log.js';
import type { PortAppConfig } from '../mapping/types.js';
import type { PortApi } from '../port/types.js';
import type { Processor } from '../processors/processor.js';
import { authenticateWork } from './authenticate-work.js';
import { CheckpointTracker } from './checkpoint.js';
import { coalesceByEntity } from './coalesce-by-entity.js';
import { fetchRawResults } from './fetch-raw-results.js';
import { finishWork, type DeadLetterSink } from './finish-work.js';
import { mapEntities, type BatchMapper } from './map-entities.js';
import { parseDeliveries } from './parse-deliveries.js';
import { PortBatches } from './port-batches.js';
import { ResultCollector } from './result-collector.js';
import { routeToProcessors } from './route-to-processors.js';
import { InFlightGate, tailLog } from './tail-log.js';
import { validateWork } from './validate-work.js';
import { writeToPort } from './write-to-port.js';
import { MemoryWrittenIndex, type WrittenIndex } from './written-index.js';

/** Knobs of the pipeline; every one has a default. */
export interface PipelineTuning {
  /** How long work for an idle entity waits for more deliveries of the same entity. */
  readonly coalesceWindowMs: number;
  /** Most work items coalesced into one fetch; 1 turns coalescing off (one fetch per delivery). */
  readonly coalesceMaxItems: number;
  /**
   * Groups whose `handleEvent` runs at once. The Jira client bounds the
   * requests (8 by default), so this only needs to be large enough for the
   * batcher to fill searches of 50 ids.
   */
  readonly fetchConcurrency: number;
  /** Deliveries read from the log and not yet finished; the backpressure bound. */
  readonly maxInFlight: number;
  /** Body bytes of the deliveries in flight; with large bodies this bound is reached first. */
  readonly maxInFlightBytes: number;
  /** How long the first group of a mapping batch waits for others. */
  readonly mapBatchMs: number;
  /** Most groups mapped in one jq call per resource config. */
  readonly mapBatchGroups: number;
  /** How long the first entity of a Port batch waits for others. */
  readonly portFlushMs: number;
  /** Bulk requests to Port in flight at once. */
  readonly portConcurrency: number;
  /** Entities per bulk upsert, 1 to 20 (Port's maximum). */
  readonly portUpsertBatchSize: number;
  /** Identifiers per bulk delete, 1 to 100 (Port's maximum). */
  readonly portDeleteBatchSize: number;
}

export const DEFAULT_TUNING: PipelineTuning = {
  coalesceWindowMs: 200,
  coalesceMaxItems: 1000,
  fetchConcurrency: 200,
  maxInFlight: 1000,
  maxInFlightBytes: 64 * 1024 * 1024,
  mapBatchMs: 5,
  mapBatchGroups: 200,
  portFlushMs: 25,
  portConcurrency: 8,
  portUpsertBatchSize: 20,
  portDeleteBatchSize: 100,
};

/** Narrowing of a re-processing run. Without it, the run uses all of the pipeline's processors and resource configs. */
export interface ReprocessOptions {
  /** Only processors with these names may own the deliveries (a redrive names the one that failed). */
  readonly processorNames?: readonly string[];
  /** Only these resource configs of the mapping get work, by index (a redrive names the failed one). */
  readonly resourceIndexes?: readonly number[];
  /** Sink for failed work in place of the pipeline's dead-letter sink. Null keeps failures as `failed` results. */
  readonly deadLetters?: DeadLetterSink | null;
}

export interface PipelineOptions {
  readonly log: EventLog;
  readonly mapping: PortAppConfig;
  readonly mapper: BatchMapper;
  readonly jira: JiraApi;
  readonly port: PortApi;
  readonly processors: readonly Processor<unknown>[];
  readonly written?: WrittenIndex;
  readonly deadLetters?: DeadLetterSink;
  readonly logger?: Logger;
  readonly tuning?: Partial<PipelineTuning>;
  readonly now?: () => number;
}

/**
 * The processing pipeline: reads the event log from its checkpoint and turns
 * every delivery into one processed result, as one `pipe` of the stages in
 * `src/pipeline/`. Results are multicast on `results$` (hot: subscribe
 * before `start` to see every result).
 */
export class Pipeline {
  private readonly results = new Subject<ProcessedResult>();
  readonly results$: Observable<ProcessedResult> = this.results.asObservable();

  private readonly tuning: PipelineTuning;
  private readonly logger: Logger;
  private readonly gate: InFlightGate;
  private readonly checkpoints: CheckpointTracker;
  private readonly batches: PortBatches;
  private readonly written: WrittenIndex;
  private subscription: Subscription | undefined;
  private stoppedBy: Error | undefined;

  constructor(private readonly options: PipelineOptions) {
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.logger = options.logger ?? silentLogger();
    this.gate = new InFlightGate(this.tuning.maxInFlight, this.tuning.maxInFlightBytes);
    this.checkpoints = new CheckpointTracker(options.log);
    this.written = options.written ?? new MemoryWrittenIndex();
    this.batches = new PortBatches(options.port, {
      flushMs: this.tuning.portFlushMs,
      maxUpserts: this.tuning.portUpsertBatchSize,
      maxDeletes: this.tuning.portDeleteBatchSize,
      concurrency: this.tuning.portConcurrency,
      upsertOptions: { merge: options.mapping.enableMergeEntity, createMissingRelatedEntities: options.mapping.createMissingRelatedEntities },
      deleteDependents: options.mapping.deleteDependentEntities,
    });
  }

  /** Start reading the log after its last checkpoint. */
  start(): void {
    if (this.subscription) return;
    const { log, processors, mapping, deadLetters } = this.options;

    this.subscription = tailLog(log, { afterOffset: log.lastCheckpoint(), gate: this.gate })
      .pipe(
        tap((delivery) => this.checkpoints.read(delivery.offset)),
        this.stages({ processors, mapping, deadLetters }),
        tap((result) => {
          this.checkpoints.end(result.offset);
          this.gate.release(result.offset);
          this.logResult(result);
        }),
      )
      .subscribe({
        next: (result) => this.results.next(result),
        error: (error: unknown) => {
          this.stoppedBy = error instanceof Error ? error : new Error(String(error));
          this.logger.fatal({ err: error }, 'pipeline stopped on an error');
          this.results.error(error);
        },
      });
  }

  /**
   * Process deliveries again, usually ones read back from the log, through
   * the same stages, Port batches and written index as the log tail, with
   * the current mapping. The checkpoint and the in-flight gate are not
   * touched, and the results go to the returned Observable only (cold: each
   * subscription runs the deliveries once). It completes after the result
   * of the last delivery. Coalescing works within one run only, so a run and
   * the log tail can fetch the same entity at once. The stale-write guard
   * then drops a fetched state older than one already written.
   */
  reprocess(deliveries: Observable<Delivery>, options: ReprocessOptions = {}): Observable<ProcessedResult> {
    const { processors, mapping } = this.options;
    const { processorNames, resourceIndexes } = options;
    const settings = {
      processors: processorNames === undefined ? processors : processors.filter((processor) => processorNames.includes(processor.name)),
      mapping: resourceIndexes === undefined ? mapping : { ...mapping, resources: mapping.resources.filter((resource) => resourceIndexes.includes(resource.index)) },
      deadLetters: options.deadLetters === null ? undefined : (options.deadLetters ?? this.options.deadLetters),
    };
    return defer(() => deliveries.pipe(this.stages(settings)));
  }

  /**
   * Stop reading new deliveries and wait up to `deadlineMs` for those in
   * flight to finish. Unfinished deliveries stay above the checkpoint and
   * are processed again on the next start.
   *
   * NOTE: Jira and Port requests still running at the deadline are not
   * aborted; their results are dropped, but they keep the process alive
   * until they end or time out.
   */
  async stop(deadlineMs = 30_000): Promise<{ readonly drained: boolean }> {
    this.gate.close();
    const drained = await this.waitFor(() => this.checkpoints.unfinished() === 0, deadlineMs);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.batches.close();
    this.results.complete();
    return { drained };
  }

  /** Resolve once every delivery appended so far has its processed result. */
  async settled(timeoutMs = 60_000): Promise<void> {
    const { log } = this.options;
    const ok = await this.waitFor(() => log.lastCheckpoint() >= log.headOffset() && this.checkpoints.unfinished() === 0, timeoutMs);
    if (!ok) throw new Error(`pipeline did not settle within ${timeoutMs} ms: checkpoint ${log.lastCheckpoint()}, head ${log.headOffset()}`);
  }

  /** Return the error that stopped the pipeline, if one did, for `/healthz`. */
  failure(): Error | undefined {
    return this.stoppedBy;
  }

  /** Deliveries read from the log and not finished. */
  inFlight(): number {
    return this.gate.count();
  }

  /** The stages from a read delivery to its processed result, with a result collector of their own. */
  private stages(settings: {
    readonly processors: readonly Processor<unknown>[];
    readonly mapping: PortAppConfig;
    readonly deadLetters: DeadLetterSink | undefined;
  }): OperatorFunction<Delivery, ProcessedResult> {
    const { mapper, jira } = this.options;
    const now = this.options.now ?? Date.now;
    const collector = new ResultCollector(now);
    const context = { jira, written: this.written };

    return (deliveries) =>
      deliveries.pipe(
        parseDeliveries(now),
        routeToProcessors(settings.processors, settings.mapping, collector),
        authenticateWork(),
        validateWork(),
        coalesceByEntity(this.tuning.coalesceWindowMs, this.tuning.coalesceMaxItems),
        fetchRawResults(context, this.tuning.fetchConcurrency, this.logger, now),
        mapEntities(mapper, { batchMs: this.tuning.mapBatchMs, maxGroups: this.tuning.mapBatchGroups }, this.logger),
        writeToPort(this.batches, this.written, this.logger, now),
        finishWork(collector, settings.deadLetters, this.logger, now),
      );
  }

  private async waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }

  private logResult(result: ProcessedResult): void {
    const fields = {
      offset: result.offset,
      deliveryId: result.deliveryId,
      webhookEvent: result.webhookEvent,
      outcome: result.outcome,
      upserted: result.upserted.length,
      deleted: result.deleted.length,
      reason: result.reason,
      error: result.error,
    };
    if (result.outcome === 'failed' || result.outcome === 'dead-lettered') this.logger.error(fields, 'delivery failed');
    else if (result.outcome === 'rejected') this.logger.warn(fields, 'delivery rejected');
    else this.logger.info(fields, 'delivery processed');
  }
}
