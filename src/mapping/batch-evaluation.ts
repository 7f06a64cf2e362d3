/**
 * Running a batch program over many items in one jq call, with a fallback
 * to one item at a time so one bad item does not fail the whole batch.
 */
import { JqEvaluationError, type JqEngine } from './jq-engine.js';

export interface BatchFallbacks {
  /** Called once when the whole batch failed and items will be evaluated one by one. */
  readonly onBatchFailure: (error: Error, itemCount: number) => void;
  /** Produces the row of an item that failed even alone (jq failures only). */
  readonly lastResort: (input: unknown, error: JqEvaluationError) => unknown;
}

/**
 * Runs `program` (a `map(...)` over an array) on `inputs` and returns one
 * row per input, in order. If the batch run fails, each input is run alone;
 * an input that still fails gets `fallbacks.lastResort`. Errors other than
 * jq failures on a single item (a broken engine) are thrown.
 */
export function evaluateBatch(engine: JqEngine, program: string, inputs: readonly unknown[], fallbacks: BatchFallbacks): unknown[] {
  if (inputs.length === 0) {
    return [];
  }
  try {
    return runRows(engine, program, inputs);
  } catch (error) {
    if (inputs.length > 1) {
      fallbacks.onBatchFailure(error as Error, inputs.length);
    }
    return inputs.map((input) => evaluateAlone(engine, program, input, fallbacks));
  }
}

function evaluateAlone(engine: JqEngine, program: string, input: unknown, fallbacks: BatchFallbacks): unknown {
  try {
    return runRows(engine, program, [input])[0];
  } catch (error) {
    if (error instanceof JqEvaluationError) {
      return fallbacks.lastResort(input, error);
    }
    throw error;
  }
}

/** Runs the program and checks that it returned exactly one array with one row per input. */
function runRows(engine: JqEngine, program: string, inputs: readonly unknown[]): unknown[] {
  const outputs = engine.run(inputs, program);
  const rows = outputs[0];
  if (outputs.length !== 1 || !Array.isArray(rows) || rows.length !== inputs.length) {
    const shape = outputs.length === 1 && Array.isArray(rows) ? `an array of ${rows.length}` : `${outputs.length} outputs`;
    throw new JqEvaluationError(`the mapping program returned ${shape} instead of one array of ${inputs.length} rows`, 0);
  }
  return rows;
}
