/** One thing wrong with the configuration. */
export interface ConfigProblem {
  /** Dotted key of the value at fault, such as `server.port`, or an environment variable name. */
  readonly key: string;
  /** The fault in the value, such as `"80a" is not a non-negative integer`. */
  readonly problem: string;
  /** The change that makes the configuration load. */
  readonly fix: string;
}

/**
 * A configuration that cannot be used. `problems` lists every problem found,
 * each with its key, what is wrong and the fix, and the message repeats
 * them one per line.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly problems: readonly ConfigProblem[],
    /** Path of the configuration file, when the problems come from one. */
    readonly source?: string,
  ) {
    super(formatMessage(problems, source));
  }
}

function formatMessage(problems: readonly ConfigProblem[], source: string | undefined): string {
  const origin = source === undefined ? 'invalid configuration' : `invalid configuration in ${source}`;
  const lines = problems.map((problem) => `  - ${problem.key}: ${problem.problem}. Fix: ${problem.fix}`);
  return [`${origin}:`, ...lines].join('\n');
}
