import type { IncomingDelivery } from '../core/delivery.js';
import { CheckpointRangeError, InvalidDeliveryError, InvalidLogOptionError } from './errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long a delivery id keeps rejecting copies. Jira Cloud retries at most
 * 5 times, 5 to 15 minutes apart, so 7 days covers every retry with margin.
 */
export const DEFAULT_DEDUPE_WINDOW_MS = 7 * DAY_MS;

/** How long a delivery stays in the log after the checkpoint has passed it. */
export const DEFAULT_RETENTION_MS = 7 * DAY_MS;

/** Default page size of `DeadLetterStore.list`. */
export const DEFAULT_DEAD_LETTER_PAGE = 100;

/** Retention and dedupe settings shared by the memory and SQLite logs. */
export interface RetentionOptions {
  /** Milliseconds a delivery id is remembered for dedupe, even after its delivery is pruned (default 7 days). */
  readonly dedupeWindowMs?: number;
  /** Milliseconds a delivery at or below the checkpoint is kept before `prune` removes it (default 7 days). */
  readonly retentionMs?: number;
}

/** Counts of rows removed by one `prune(now)` call. */
export interface PruneResult {
  readonly deliveries: number;
  readonly deliveryIds: number;
  /** Stored processed results (always 0 for the memory log, which stores none). */
  readonly processedResults: number;
}

/** Return `value`, or `fallback` when undefined, after checking it is a finite number of at least 0. */
export function resolveDuration(option: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved < 0) {
    throw new InvalidLogOptionError(option, value, 'a finite number of milliseconds, 0 or more');
  }
  return resolved;
}

/**
 * Compute the checkpoint after `checkpoint(requested)`. An offset below the
 * current checkpoint leaves it unchanged, because the checkpoint never moves
 * backwards. Throws `CheckpointRangeError` for an offset that was never assigned.
 */
export function nextCheckpoint(requested: number, current: number, headOffset: number): number {
  if (!Number.isSafeInteger(requested) || requested < 0 || requested > headOffset) {
    throw new CheckpointRangeError(requested, headOffset);
  }
  return Math.max(requested, current);
}

/** Throw a `RangeError` unless the `limit` passed to `readAfter` is a positive integer. */
export function validateReadLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`Invalid readAfter limit ${limit}: expected a positive integer.`);
  }
}

/**
 * Throw `InvalidDeliveryError` naming the first field that is missing or of
 * the wrong type. Hosts push deliveries without the ingress's checks, so the
 * log checks the shape itself.
 */
export function validateIncomingDelivery(delivery: IncomingDelivery): void {
  if (typeof delivery.deliveryId !== 'string' || delivery.deliveryId === '') {
    throw new InvalidDeliveryError('deliveryId', 'a non-empty string');
  }
  if (!Number.isFinite(delivery.receivedAt)) {
    throw new InvalidDeliveryError('receivedAt', 'epoch milliseconds');
  }
  if (!Buffer.isBuffer(delivery.body)) {
    throw new InvalidDeliveryError('body', 'a Buffer with the raw request body');
  }
  // Checked here because a value that JSON.stringify rejects would fail the whole group commit.
  const headers: unknown = delivery.headers;
  const isStringRecord =
    typeof headers === 'object' && headers !== null && Object.values(headers).every((value) => typeof value === 'string');
  if (!isStringRecord) {
    throw new InvalidDeliveryError('headers', 'an object of lower-cased header names to string values');
  }
}
