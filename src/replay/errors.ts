/**
 * Error classes of the record, generate and replay tools, one per failure
 * kind. Each message names the file, line or option at fault and the fix.
 */

/** A line of a recording is not a valid recorded delivery. */
export class RecordingFormatError extends Error {
  override readonly name = 'RecordingFormatError';

  constructor(
    readonly path: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(
      `Invalid recording ${path} line ${line}: ${reason}. ` +
        'Each line must be one JSON object {"receivedAt", "headers", "body"}; see docs/replay.md.',
    );
  }
}

/** A recording, state or event log file could not be opened, read or written. */
export class ReplayFileError extends Error {
  override readonly name = 'ReplayFileError';

  constructor(
    readonly path: string,
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? options.cause.message : String(options?.cause ?? 'unknown error');
    super(`Cannot ${operation} ${path}: ${reason}. Check the path and its permissions.`, options);
  }
}

/** A command-line option or a replay setting is missing, malformed or conflicts with another one. */
export class ReplayOptionError extends Error {
  override readonly name = 'ReplayOptionError';

  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

/** A generated state file does not decode, or the simulator rejected one of its operations. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';

  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Invalid Jira state ${path}: ${reason}.`, options);
  }
}

/**
 * After loading a state file, the simulator's issues or projects differ from
 * the state's `final` section, so the recorded stream would not converge.
 */
export class StateMismatchError extends Error {
  override readonly name = 'StateMismatchError';

  constructor(
    readonly differences: readonly string[],
  ) {
    super(
      `The Jira simulator does not hold the final state of the generated stream (${differences.length} difference(s), first: ` +
        `${differences.slice(0, 3).join('; ')}). Load the state into a freshly started simulator that nothing else changes.`,
    );
  }
}

/** A simulator's `/_sim` admin API responded with an error status, or could not be reached. */
export class SimulatorRequestError extends Error {
  override readonly name = 'SimulatorRequestError';

  constructor(
    readonly url: string,
    readonly status: number | undefined,
    detail: string,
  ) {
    const outcome = status === undefined ? 'failed' : `responded with ${status}`;
    super(`Simulator request ${url} ${outcome}: ${detail}. Check that a jira-port-stream simulator listens at that URL.`);
  }
}

/** The Jira simulator rejected an operation the generator chose: a generator bug, not a user error. */
export class GeneratedOperationError extends Error {
  override readonly name = 'GeneratedOperationError';

  constructor(
    readonly sequence: number,
    readonly operation: unknown,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super(
      `The Jira simulator rejected generated operation ${sequence} ${JSON.stringify(operation)}: ${reason}. ` +
        'This is a bug in the generator; report it with the seed and the options used.',
      options,
    );
  }
}
