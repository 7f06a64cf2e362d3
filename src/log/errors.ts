/**
 * Error classes of the event log and the dead-letter store, one per failure
 * kind. Each message names the value at fault and what to do about it.
 */

const MOVE_AWAY_FIX =
  'Restore the file from a backup, or stop the service and move the file away ' +
  '(together with its -wal and -shm files) to start with an empty log';

/**
 * The event log file could not be opened: it is not SQLite, it is corrupted
 * or truncated, it belongs to another program, or its schema version is one
 * this build does not know.
 */
export class EventLogOpenError extends Error {
  override readonly name = 'EventLogOpenError';

  constructor(
    readonly path: string,
    readonly reason: string,
    readonly fix: string = MOVE_AWAY_FIX,
    options?: { cause?: unknown },
  ) {
    super(`Cannot open the event log ${path}: ${reason}. ${fix}.`, options);
  }
}

/** A method was called on an event log or dead-letter store after `close()`. */
export class EventLogClosedError extends Error {
  override readonly name = 'EventLogClosedError';

  constructor(readonly operation: string) {
    super(`Cannot ${operation}: the event log is closed. Open a new one instead of reusing a closed log.`);
  }
}

/** A group commit failed, so none of the deliveries in it were stored. */
export class EventLogWriteError extends Error {
  override readonly name = 'EventLogWriteError';

  constructor(
    readonly path: string,
    readonly deliveryIds: readonly string[],
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super(
      `Writing ${deliveryIds.length} delivery(ies) to the event log ${path} failed: ${reason}. ` +
        'Nothing of this group commit was stored. Check free disk space and file permissions.',
      options,
    );
  }
}

/** `checkpoint(offset)` was called with an offset that is not a stored position. */
export class CheckpointRangeError extends Error {
  override readonly name = 'CheckpointRangeError';

  constructor(
    readonly offset: number,
    readonly headOffset: number,
  ) {
    super(
      `Invalid checkpoint offset ${offset}: expected an integer from 0 to the head offset ${headOffset}. ` +
        'Checkpoint only offsets returned by append or readAfter.',
    );
  }
}

/** A delivery handed to `append` is missing a field or has one of the wrong type. */
export class InvalidDeliveryError extends Error {
  override readonly name = 'InvalidDeliveryError';

  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`Invalid delivery: "${field}" must be ${expected}.`);
  }
}

/** An option of an event log or dead-letter store has a value out of range. */
export class InvalidLogOptionError extends Error {
  override readonly name = 'InvalidLogOptionError';

  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`Invalid event log option ${option}=${String(value)}: expected ${expected}.`);
  }
}

/** `markRedriven(id)` named a dead letter that is not in the store. */
export class DeadLetterNotFoundError extends Error {
  override readonly name = 'DeadLetterNotFoundError';

  constructor(readonly id: number) {
    super(`Dead letter ${id} not found; list the dead letters to get a current id (it may have been dropped).`);
  }
}

/** A replay or redrive needs a delivery that is no longer in the event log (pruned, or never stored). */
export class DeliveryNotInLogError extends Error {
  override readonly name = 'DeliveryNotInLogError';

  constructor(readonly offset: number) {
    super(
      `The delivery at offset ${offset} is not in the event log: retention removed it, or the offset was never assigned. ` +
        'Deliveries that a waiting dead letter points to are kept; check the offset.',
    );
  }
}

/** A redrive named a dead letter that was already re-driven successfully. */
export class DeadLetterAlreadyRedrivenError extends Error {
  override readonly name = 'DeadLetterAlreadyRedrivenError';

  constructor(
    readonly id: number,
    readonly redrivenAt: number,
  ) {
    super(
      `Dead letter ${id} was already re-driven at ${new Date(redrivenAt).toISOString()}. ` +
        'To run its delivery again, replay it by offset.',
    );
  }
}
