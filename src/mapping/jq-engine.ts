/**
 * A small synchronous facade over jq-wasm 3.0.0-jq-1.8.2 (real jq 1.8.2
 * compiled to WebAssembly), the JQ engine behind every mapping.
 */
import { JqError, loadJq, type Jq } from 'jq-wasm';

/**
 * Program prefix that replaces `env` and `$ENV` with empty objects, so a
 * mapping cannot read the process environment, which contains API tokens.
 * Ocean prepends the same text when it forbids environment access.
 */
export const ENV_GUARD = 'def env: {}; {} as $ENV | ';

/** Ocean's rewrite of single-quoted JQ strings (`'Bug'`) into double-quoted ones (`"Bug"`). */
const SINGLE_QUOTE = /(^|\s)'(?!\s|")|(?<!\s|")'(\s|$)/g;

/** Rewrites single-quote string delimiters to double quotes, as Ocean does before compiling. */
export function rewriteSingleQuotes(expression: string): string {
  return expression.replace(SINGLE_QUOTE, '$1"$2');
}

/** A jq program that failed while running (jq exit code 5) or left its output unreadable. */
export class JqEvaluationError extends Error {
  override readonly name = 'JqEvaluationError';

  constructor(
    /** jq's error message without the `jq: error` prefix. */
    readonly jqMessage: string,
    /**
     * jq's exit code: 5 for runtime errors and `halt_error`, 3 for compile
     * errors, 0 when jq exited normally but its output had the wrong shape.
     */
    readonly exitCode: number,
  ) {
    super(`jq failed with exit code ${exitCode}: ${jqMessage}`);
  }
}

export interface JqEngineOptions {
  /** Let programs read the process environment through `env` and `$ENV`. Default false. */
  readonly allowEnv?: boolean;
}

let sharedJq: Promise<Jq> | undefined;

/** Loads the WebAssembly module once per process. A failed load is retried on the next call. */
function loadSharedJq(): Promise<Jq> {
  sharedJq ??= loadJq().catch((error: unknown) => {
    sharedJq = undefined;
    throw error;
  });
  return sharedJq;
}

/**
 * Runs jq programs synchronously once `JqEngine.load` has resolved. Every
 * run is prefixed with `ENV_GUARD` unless `allowEnv` is set. jq-wasm has
 * no compile-once API: each run parses and compiles the program again,
 * which costs a fixed amount per call, so callers should evaluate many
 * items in one run.
 */
export class JqEngine {
  readonly allowEnv: boolean;
  private runs = 0;

  private constructor(
    private readonly jq: Jq,
    options: JqEngineOptions,
  ) {
    this.allowEnv = options.allowEnv ?? false;
  }

  /** Loads jq-wasm (once per process) and returns an engine with these options. */
  static async load(options: JqEngineOptions = {}): Promise<JqEngine> {
    return new JqEngine(await loadSharedJq(), options);
  }

  /** The jq version string, for example `jq-1.8.2`. */
  get version(): string {
    return this.jq.version;
  }

  /** Number of `run` calls so far, which tests and benchmarks use to count jq invocations. */
  get runCount(): number {
    return this.runs;
  }

  /**
   * Compiles `program` without running it and returns jq's compile error
   * message, or undefined when it compiles. jq compiles the whole program
   * before it reads input, and an empty input gives it nothing to run on.
   */
  compileError(program: string): string | undefined {
    const result = this.jq.raw('', program);
    return result.exitCode === 0 ? undefined : cleanJqMessage(result.stderr);
  }

  /**
   * Runs `program` (with the env guard unless `allowEnv`) on `input` and
   * returns every output. Throws `JqEvaluationError` when jq fails.
   */
  run(input: unknown, program: string): unknown[] {
    this.runs += 1;
    const guarded = this.allowEnv ? program : ENV_GUARD + program;

    // jq-wasm passes a string input through as JSON text, so serialize every
    // input here to keep a JavaScript string a JSON string.
    // NOTE: the call is synchronous and has no timeout, so an expression that
    // never ends, such as `repeat(.)`, blocks the event loop for good.
    const text = JSON.stringify(input === undefined ? null : input);
    try {
      return this.jq.json(text, guarded);
    } catch (error) {
      if (error instanceof JqError) {
        throw new JqEvaluationError(cleanJqMessage(error.stderr), error.exitCode);
      }
      throw error;
    }
  }
}

/**
 * Reduces jq's stderr to its error lines: drops the `jq: error:` prefixes,
 * the source excerpt with its caret line, and the "N compile error" footer.
 */
export function cleanJqMessage(stderr: string): string {
  const errorLines = stderr
    .split('\n')
    .filter((line) => line.startsWith('jq: error'))
    .map((line) =>
      line
        .replace(/^jq: error(?: \([^)]*\))*: /, '')
        .replace(/ at <top-level>, line (\d+), column (\d+):?$/, ' (line $1, column $2)'),
    );
  const message = errorLines.length > 0 ? errorLines.join('; ') : stderr.trim();
  return message === '' ? 'jq stopped without an error message' : message;
}
