import { groupBy, mergeMap, Subject, type Subscription } from 'rxjs';
import type { Entity } from '../mapping/types.js';
import { MAX_ENTITIES_PER_UPSERT, MAX_IDS_PER_DELETE } from '../port/batching.js';
import type { EntityFailure, PortApi, UpsertOptions } from '../port/types.js';
import { batchWithin } from './batch-within.js';

/** The outcome of one entity's write: done, or Port's failure for it. */
export type EntityWrite = { readonly ok: true } | { readonly ok: false; readonly failure: EntityFailure };

export interface PortBatchOptions {
  /** How long the first entity of a batch waits for others. */
  readonly flushMs: number;
  /** Entities per bulk upsert; Port allows at most 20. */
  readonly maxUpserts: number;
  /** Identifiers per bulk delete; Port allows at most 100. */
  readonly maxDeletes: number;
  /** Bulk requests in flight at once, across blueprints. */
  readonly concurrency: number;
  readonly upsertOptions: UpsertOptions;
  readonly deleteDependents: boolean;
}

interface Pending<T> {
  readonly blueprint: string;
  readonly value: T;
  readonly settle: (write: EntityWrite) => void;
}

/**
 * The upsert stream and the delete stream to Port, each batched per
 * blueprint: an entity waits at most `flushMs` for others of its blueprint,
 * and a batch is sent as soon as it is full. Each caller gets the outcome of
 * its own entity; a request that fails as a whole fails each of its entities.
 */
export class PortBatches {
  private readonly upserts = new Subject<Pending<Entity>>();
  private readonly deletes = new Subject<Pending<string>>();
  private readonly subscriptions: Subscription[] = [];

  constructor(port: PortApi, options: PortBatchOptions) {
    checkBatchSize('maxUpserts', options.maxUpserts, MAX_ENTITIES_PER_UPSERT);
    checkBatchSize('maxDeletes', options.maxDeletes, MAX_IDS_PER_DELETE);
    this.subscriptions.push(
      this.upserts
        .pipe(
          groupBy((pending) => pending.blueprint),
          mergeMap((perBlueprint) => perBlueprint.pipe(batchWithin<Pending<Entity>>(options.flushMs, options.maxUpserts))),
          mergeMap((batch) => sendUpserts(port, batch, options.upsertOptions), options.concurrency),
        )
        .subscribe(),
      this.deletes
        .pipe(
          groupBy((pending) => pending.blueprint),
          mergeMap((perBlueprint) => perBlueprint.pipe(batchWithin<Pending<string>>(options.flushMs, options.maxDeletes))),
          mergeMap((batch) => sendDeletes(port, batch, options.deleteDependents), options.concurrency),
        )
        .subscribe(),
    );
  }

  upsert(entity: Entity): Promise<EntityWrite> {
    return new Promise((settle) => this.upserts.next({ blueprint: entity.blueprint, value: entity, settle }));
  }

  delete(blueprint: string, identifier: string): Promise<EntityWrite> {
    return new Promise((settle) => this.deletes.next({ blueprint, value: identifier, settle }));
  }

  /** Stop accepting writes; batches already open are still sent. */
  close(): void {
    this.upserts.complete();
    this.deletes.complete();
  }
}

function checkBatchSize(name: string, value: number, maximum: number): void {
  if (!Number.isInteger(value) || value < 1 || value > maximum) {
    throw new RangeError(`Port batch option ${name} must be an integer from 1 to ${maximum} (Port's limit), got ${value}`);
  }
}

async function sendUpserts(port: PortApi, batch: readonly Pending<Entity>[], options: UpsertOptions): Promise<void> {
  const blueprint = batch[0]?.blueprint ?? '';
  const outcome = await settleAll(batch, () => port.upsertEntities(blueprint, batch.map((pending) => pending.value), options));
  if (outcome === undefined) return;
  settleEach(batch, (pending) => pending.value.identifier, outcome.failed);
}

async function sendDeletes(port: PortApi, batch: readonly Pending<string>[], deleteDependents: boolean): Promise<void> {
  const blueprint = batch[0]?.blueprint ?? '';
  const outcome = await settleAll(batch, () => port.deleteEntities(blueprint, batch.map((pending) => pending.value), { deleteDependents }));
  if (outcome === undefined) return;
  settleEach(batch, (pending) => pending.value, outcome.failed);
}

/** Run the request; if it throws, fail every entity of the batch with the error and return undefined. */
async function settleAll<T, R>(batch: readonly Pending<T>[], request: () => Promise<R>): Promise<R | undefined> {
  try {
    return await request();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 0;
    for (const pending of batch) pending.settle({ ok: false, failure: { identifier: '', status, error: 'request_failed', message } });
    return undefined;
  }
}

function settleEach<T>(batch: readonly Pending<T>[], identifierOf: (pending: Pending<T>) => string, failed: readonly EntityFailure[]): void {
  const failures = new Map(failed.map((failure) => [failure.identifier, failure]));
  for (const pending of batch) {
    const failure = failures.get(identifierOf(pending));
    pending.settle(failure ? { ok: false, failure } : { ok: true });
  }
}
