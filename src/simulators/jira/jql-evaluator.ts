import { JqlValidationError, SimulatorError } from './errors.js';
import { resolveJqlDate } from './jql-dates.js';
import { findJqlField, type JqlField, type JqlSubject } from './jql-fields.js';
import { parseJql, type JqlClause, type JqlExpression, type JqlOperand, type JqlQuery, type JqlValue } from './jql-parser.js';

/** A parsed and validated JQL query, ready to filter and sort subjects. */
export interface CompiledJql {
  readonly query: JqlQuery;
  /** Whether the query has a search restriction (a WHERE part). */
  readonly bounded: boolean;
  matches(subject: JqlSubject): boolean;
  /** Orders by the query's `ORDER BY` fields, then by issue id ascending. */
  compare(left: JqlSubject, right: JqlSubject): number;
}

type Predicate = (subject: JqlSubject) => boolean;

/** The most `ORDER BY` fields Jira Cloud accepts in one query. */
export const MAX_ORDER_BY_FIELDS = 7;

/**
 * Parses and validates `jql`, then builds its predicate and comparator.
 * Relative dates resolve against `now` (epoch ms) once, at compile time.
 * Throws `JqlSyntaxError` or `JqlValidationError` (both HTTP 400).
 */
export function compileJql(jql: string, now: number = Date.now()): CompiledJql {
  const query = parseJql(jql);
  const predicate = query.where === null ? () => true : compileExpression(query.where, now);
  const compare = compileOrderBy(query);
  return { query, bounded: query.where !== null, matches: predicate, compare };
}

/** Lists the validation errors of `jql` without throwing, as `POST /rest/api/3/jql/parse` reports them. */
export function validateJql(jql: string): string[] {
  try {
    compileJql(jql);
    return [];
  } catch (error) {
    if (error instanceof SimulatorError) {
      return [...error.errorMessages];
    }
    throw error;
  }
}

function compileExpression(expression: JqlExpression, now: number): Predicate {
  switch (expression.type) {
    case 'and': {
      const operands = expression.operands.map((operand) => compileExpression(operand, now));
      return (subject) => operands.every((operand) => operand(subject));
    }
    case 'or': {
      const operands = expression.operands.map((operand) => compileExpression(operand, now));
      return (subject) => operands.some((operand) => operand(subject));
    }
    case 'not': {
      const operand = compileExpression(expression.operand, now);
      return (subject) => !operand(subject);
    }
    case 'clause':
      return compileClause(expression, now);
  }
}

function compileClause(clause: JqlClause, now: number): Predicate {
  const field = findJqlField(clause.field);
  if (field === undefined) {
    throw new JqlValidationError(`Field '${clause.field}' does not exist or you do not have permission to view it.`);
  }
  if (!field.operators.includes(clause.operator)) {
    throw new JqlValidationError(`The operator '${clause.operator}' is not supported by the '${clause.field}' field.`);
  }

  const values = operandValues(clause.operand);
  if ((clause.operator === 'is' || clause.operator === 'is not') && values.some((value) => value.kind !== 'empty')) {
    throw new JqlValidationError(`The operator '${clause.operator}' only supports the EMPTY value (field '${clause.field}').`);
  }

  if (field.date !== undefined) {
    return compileDateClause(field, clause, values, now);
  }
  return compileValueClause(field, clause, values);
}

/** Flattens an operand to its values. Functions are not part of the simulated subset. */
function operandValues(operand: JqlOperand): readonly JqlValue[] {
  if (operand.kind === 'function') {
    throw new JqlValidationError(`Unable to find JQL function '${operand.name}()'.`);
  }
  return operand.kind === 'list' ? operand.values : [operand];
}

/**
 * Equality operators follow Jira's treatment of empty fields: `!=` and
 * `not in` never match an issue whose field is EMPTY, unless EMPTY itself
 * is named (`assignee not in (EMPTY)` is "assignee is not EMPTY").
 */
function compileValueClause(field: JqlField, clause: JqlClause, values: readonly JqlValue[]): Predicate {
  const readValues = field.values ?? (() => []);
  const wantsEmpty = values.some((value) => value.kind === 'empty');
  const texts = values.flatMap((value) => (value.kind === 'text' ? [value.text.toLowerCase()] : []));

  const matchesAny = (subject: JqlSubject): boolean => {
    const actual = readValues(subject).map((value) => value.toLowerCase());
    if (actual.length === 0) return wantsEmpty;
    return actual.some((value) => texts.includes(value));
  };
  const isEmpty = (subject: JqlSubject): boolean => readValues(subject).length === 0;

  switch (clause.operator) {
    case '=':
    case 'in':
    case 'is':
      return matchesAny;
    case '!=':
    case 'not in':
    case 'is not':
      return (subject) => !isEmpty(subject) && !matchesAny(subject);
    default:
      throw new JqlValidationError(`The operator '${clause.operator}' is not supported by the '${clause.field}' field.`);
  }
}

/** Date clauses compare at millisecond precision. Created and updated are never EMPTY. */
function compileDateClause(field: JqlField, clause: JqlClause, values: readonly JqlValue[], now: number): Predicate {
  const readDate = field.date!;
  if (clause.operator === 'is') return () => false;
  if (clause.operator === 'is not') return () => true;

  const value = values[0];
  if (value === undefined || value.kind !== 'text' || values.length !== 1) {
    throw new JqlValidationError(`The field '${clause.field}' expects one date value.`);
  }
  const bound = resolveJqlDate(value.text, clause.field, now);

  const comparisons: Record<string, (actual: number) => boolean> = {
    '=': (actual) => actual === bound,
    '!=': (actual) => actual !== bound,
    '>': (actual) => actual > bound,
    '>=': (actual) => actual >= bound,
    '<': (actual) => actual < bound,
    '<=': (actual) => actual <= bound,
  };
  const comparison = comparisons[clause.operator]!;
  return (subject) => comparison(readDate(subject));
}

function compileOrderBy(query: JqlQuery): (left: JqlSubject, right: JqlSubject) => number {
  if (query.orderBy.length > MAX_ORDER_BY_FIELDS) {
    throw new JqlValidationError(`ORDER BY accepts at most ${MAX_ORDER_BY_FIELDS} fields; the query has ${query.orderBy.length}.`);
  }

  const sorters = query.orderBy.map((sort) => {
    const field = findJqlField(sort.field);
    if (field?.sortValue === undefined) {
      throw new JqlValidationError(`Not able to sort using field '${sort.field}'.`);
    }
    return { read: field.sortValue, sign: sort.direction === 'ASC' ? 1 : -1 };
  });

  return (left, right) => {
    for (const sorter of sorters) {
      const order = compareSortValues(sorter.read(left), sorter.read(right));
      if (order !== 0) return order * sorter.sign;
    }
    return Number(left.id) - Number(right.id);
  };
}

/** Orders EMPTY values after all others in ascending order. */
function compareSortValues(left: string | number | null, right: string | number | null): number {
  if (left === right) return 0;
  if (left === null) return 1;
  if (right === null) return -1;
  return left < right ? -1 : 1;
}
