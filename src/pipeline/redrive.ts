import { from, lastValueFrom, mergeMap, of, type Observable } from 'rxjs';
import type { ProcessedResult, WorkResult } from '../core/results.js';
import type { DeadLetter, DeadLetterStore } from '../log/dead-letters.js';
import { DeadLetterAlreadyRedrivenError, DeadLetterNotFoundError, DeliveryNotInLogError } from '../log/errors.js';
import type { EventLog } from '../log/event-log.js';
import type { PortAppConfig } from '../mapping/types.js';
import type { DeadLetterSink } from './finish-work.js';
import type { Pipeline } from './pipeline.js';
import { errorMessage } from './work.js';

/** Dead letters re-driven at once by `redriveDeadLetters`. */
export const REDRIVE_CONCURRENCY = 8;

/** Dependencies of a redrive: the pipeline that runs the work, the log with the delivery, the store to update. */
export interface RedriveContext {
  readonly pipeline: Pipeline;
  readonly log: EventLog;
  readonly deadLetters: DeadLetterStore;
  /** The current mapping, to find the resource config the failed work belonged to. */
  readonly mapping: PortAppConfig;
  readonly now?: () => number;
}

/** The outcome of one redrive. */
export interface RedriveReport {
  /** The dead letter after the redrive: re-driven, or with one more attempt and the new error. */
  readonly deadLetter: DeadLetter;
  readonly redriven: boolean;
  /** The processed result of the re-run, for the re-driven work only. */
  readonly result: ProcessedResult;
  /** Failure message of the re-run; absent when `redriven` is true. */
  readonly error?: string;
}

/** One entry of `redriveDeadLetters`: a report, or the error that kept the redrive from running. */
export type RedriveOutcome =
  | { readonly id: number; readonly report: RedriveReport }
  | { readonly id: number; readonly error: Error };

/**
 * Re-run the failed unit of work of one dead letter with the current
 * mapping: its delivery, read back from the log, goes through the
 * pipeline with only the dead letter's processor and resource config. When
 * every part of that work ends as upserted, deleted or ignored, the dead
 * letter is marked re-driven. Otherwise it keeps waiting with one more
 * attempt and the new error.
 *
 * Throws `DeadLetterNotFoundError`, `DeadLetterAlreadyRedrivenError` or
 * `DeliveryNotInLogError` before running anything.
 */
export async function redriveDeadLetter(context: RedriveContext, id: number): Promise<RedriveReport> {
  const { pipeline, log, deadLetters } = context;
  const now = context.now ?? Date.now;
  const deadLetter = waitingDeadLetter(deadLetters, id);
  const delivery = log.readAfter(deadLetter.offset - 1, 1)[0];
  if (delivery === undefined || delivery.offset !== deadLetter.offset) throw new DeliveryNotInLogError(deadLetter.offset);

  // A failure of the re-run counts as one more attempt of this dead letter, not as a new one.
  const sink: DeadLetterSink = {
    add: (entry) => {
      deadLetters.recordFailedAttempt(id, entry.error, entry.lastFailedAt);
      return id;
    },
  };
  const run = pipeline.reprocess(of(delivery), {
    processorNames: [deadLetter.processor],
    resourceIndexes: resourceIndexesOf(deadLetter, context.mapping),
    deadLetters: sink,
  });
  const result = await lastValueFrom(run);

  const error = failureOf(deadLetter, result);
  if (error === undefined) deadLetters.markRedriven(id);
  else if (result.outcome !== 'dead-lettered') deadLetters.recordFailedAttempt(id, error, now());

  return { deadLetter: deadLetters.get(id) ?? deadLetter, redriven: error === undefined, result, ...(error !== undefined ? { error } : {}) };
}

/**
 * Redrive the dead letters with these ids, `concurrency` at a time, and
 * emit one outcome per id in completion order. When a redrive cannot run
 * (unknown id, already re-driven, delivery gone), its outcome carries the
 * error and the other redrives go on.
 */
export function redriveDeadLetters(
  context: RedriveContext,
  ids: readonly number[],
  concurrency: number = REDRIVE_CONCURRENCY,
): Observable<RedriveOutcome> {
  return from(ids).pipe(
    mergeMap(async (id): Promise<RedriveOutcome> => {
      try {
        return { id, report: await redriveDeadLetter(context, id) };
      } catch (error) {
        return { id, error: error instanceof Error ? error : new Error(errorMessage(error)) };
      }
    }, concurrency),
  );
}

/**
 * Mark the waiting dead letters of a re-processed delivery as re-driven
 * when the same work (processor, resource config, entity) has now ended as
 * upserted, deleted or ignored, as a replay does after a fix. Returns the
 * ids it marked. Work that failed again already counted an attempt on its
 * dead letter through the dead-letter sink.
 */
export function markRedoneWork(deadLetters: DeadLetterStore, result: ProcessedResult): number[] {
  const redone = deadLetters
    .waitingAt(result.offset)
    .filter((deadLetter) => result.work.some((work) => isSameWork(deadLetter, work) && isFinished(work)));
  for (const deadLetter of redone) deadLetters.markRedriven(deadLetter.id);
  return redone.map((deadLetter) => deadLetter.id);
}

/** Ids of every dead letter waiting for a redrive, in id order. */
export function waitingDeadLetterIds(deadLetters: DeadLetterStore): number[] {
  const ids: number[] = [];
  for (;;) {
    const page = deadLetters.list({ afterId: ids[ids.length - 1] ?? 0 });
    if (page.length === 0) return ids;
    ids.push(...page.map((entry) => entry.id));
  }
}

function waitingDeadLetter(deadLetters: DeadLetterStore, id: number): DeadLetter {
  const deadLetter = deadLetters.get(id);
  if (deadLetter === undefined) throw new DeadLetterNotFoundError(id);
  if (deadLetter.redrivenAt !== null) throw new DeadLetterAlreadyRedrivenError(id, deadLetter.redrivenAt);
  return deadLetter;
}

/**
 * Find the resource config the work failed for. When the current mapping
 * has another kind at that index, the mapping changed since the failure,
 * so every resource config of the dead letter's kind is returned.
 */
function resourceIndexesOf(deadLetter: DeadLetter, mapping: PortAppConfig): number[] {
  const same = mapping.resources.find((resource) => resource.index === deadLetter.resourceIndex && resource.kind === deadLetter.kind);
  if (same !== undefined) return [same.index];
  return mapping.resources.filter((resource) => resource.kind === deadLetter.kind).map((resource) => resource.index);
}

/** Describe why the re-run did not finish the dead letter's work; return undefined when it did. */
function failureOf(deadLetter: DeadLetter, result: ProcessedResult): string | undefined {
  const own = result.work.filter((work) => work.processor === deadLetter.processor && work.kind === deadLetter.kind);
  if (own.length === 0) {
    return (
      `the current configuration gives no work of processor ${deadLetter.processor} and kind ${deadLetter.kind} ` +
      `to this delivery (${result.reason ?? result.outcome}); drop the dead letter if that is intended`
    );
  }

  const failed = own.filter((work) => !isFinished(work));
  if (failed.length === 0) return undefined;
  return failed.map((work) => work.error ?? work.reason ?? work.outcome).join('; ');
}

function isSameWork(deadLetter: DeadLetter, work: WorkResult): boolean {
  return work.processor === deadLetter.processor && work.resourceIndex === deadLetter.resourceIndex && work.entityId === deadLetter.entityId;
}

function isFinished(work: WorkResult): boolean {
  return work.outcome === 'upserted' || work.outcome === 'deleted' || work.outcome === 'ignored';
}
