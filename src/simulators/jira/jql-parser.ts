import { JqlSyntaxError } from './errors.js';
import { tokenize, type JqlToken } from './jql-lexer.js';

/**
 * A recursive-descent parser for the JQL subset the simulator serves.
 *
 * Grammar, from loosest to tightest binding. NOT binds tighter than AND, and
 * AND tighter than OR. Atlassian's documents disagree on JQL precedence, so
 * callers that compose queries should add parentheses anyway.
 *
 *   query    := [or] [ORDER BY sort {, sort}] EOF
 *   or       := and {(OR | "||" | "|") and}
 *   and      := not {(AND | "&&" | "&") not}
 *   not      := (NOT | "!") not | primary
 *   primary  := "(" or ")" | clause
 *   clause   := field operator operand
 *   operand  := value | "(" value {, value} ")" | function "(" [value {, value}] ")"
 *   sort     := field [ASC | DESC]
 *
 * `ORDER BY` is legal only at the top level, so `(a = 1 ORDER BY b)` fails
 * with "Expecting ')' but got 'ORDER'" as it does on Jira Cloud.
 */

export type JqlOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

/** A literal operand. `empty` is the `EMPTY` or `NULL` keyword. */
export type JqlValue =
  | { readonly kind: 'text'; readonly text: string; readonly quoted: boolean; readonly position: number }
  | { readonly kind: 'empty'; readonly position: number };

export type JqlOperand =
  | JqlValue
  | { readonly kind: 'list'; readonly values: readonly JqlValue[]; readonly position: number }
  | { readonly kind: 'function'; readonly name: string; readonly args: readonly JqlValue[]; readonly position: number };

export interface JqlClause {
  readonly type: 'clause';
  readonly field: string;
  readonly fieldPosition: number;
  readonly operator: JqlOperator;
  readonly operand: JqlOperand;
}

export type JqlExpression =
  | JqlClause
  | { readonly type: 'and'; readonly operands: readonly JqlExpression[] }
  | { readonly type: 'or'; readonly operands: readonly JqlExpression[] }
  | { readonly type: 'not'; readonly operand: JqlExpression };

export interface JqlSortField {
  readonly field: string;
  readonly direction: 'ASC' | 'DESC';
  readonly position: number;
}

export interface JqlQuery {
  /** The search restriction. Null when the query is empty or only `ORDER BY`. */
  readonly where: JqlExpression | null;
  readonly orderBy: readonly JqlSortField[];
}

/** Words that cannot stand unquoted as a field name or value. */
const RESERVED_WORDS = new Set(['and', 'or', 'not', 'order', 'by', 'in', 'is', 'empty', 'null', 'asc', 'desc']);

/** Parses a JQL query. Throws `JqlSyntaxError` naming the token at fault. */
export function parseJql(query: string): JqlQuery {
  return new JqlParser(query).parseQuery();
}

class JqlParser {
  private readonly tokens: JqlToken[];
  private index = 0;

  constructor(private readonly query: string) {
    this.tokens = tokenize(query);
  }

  parseQuery(): JqlQuery {
    const where = this.isOrderBy() || this.peek().type === 'eof' ? null : this.parseOr();
    const orderBy = this.isOrderBy() ? this.parseOrderBy() : [];

    const next = this.peek();
    if (next.type === 'eof') return { where, orderBy };

    if (orderBy.length > 0) throw this.error("Expecting ',' or the end of the query", next);
    throw this.error(where === null ? 'Expecting a field name' : "Expecting either 'OR' or 'AND'", next);
  }

  private parseOr(): JqlExpression {
    const operands = [this.parseAnd()];
    while (this.acceptKeyword('or', '||', '|')) {
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0]! : { type: 'or', operands };
  }

  private parseAnd(): JqlExpression {
    const operands = [this.parseNot()];
    while (this.acceptKeyword('and', '&&', '&')) {
      operands.push(this.parseNot());
    }
    return operands.length === 1 ? operands[0]! : { type: 'and', operands };
  }

  private parseNot(): JqlExpression {
    if (this.acceptKeyword('not', '!')) {
      return { type: 'not', operand: this.parseNot() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): JqlExpression {
    if (this.peek().type !== 'lparen') {
      return this.parseClause();
    }

    this.advance();
    const inner = this.parseOr();
    const closing = this.peek();
    if (closing.type !== 'rparen') {
      throw this.error("Expecting ')'", closing);
    }
    this.advance();
    return inner;
  }

  private parseClause(): JqlClause {
    const fieldToken = this.peek();
    const field = this.readName(fieldToken, 'Expecting a field name');
    this.advance();

    const operator = this.parseOperator();
    const operand = this.parseOperand(operator);
    return { type: 'clause', field, fieldPosition: fieldToken.position, operator, operand };
  }

  private parseOperator(): JqlOperator {
    const token = this.peek();
    const word = token.type === 'word' ? token.text.toLowerCase() : null;

    if (token.type === 'operator' && ['=', '!=', '>', '>=', '<', '<=', '~', '!~'].includes(token.text)) {
      this.advance();
      return token.text as JqlOperator;
    }
    if (word === 'in') {
      this.advance();
      return 'in';
    }
    if (word === 'not' && this.peekWord(1) === 'in') {
      this.index += 2;
      return 'not in';
    }
    if (word === 'is') {
      this.advance();
      if (this.peekWord(0) !== 'not') return 'is';
      this.advance();
      return 'is not';
    }
    throw this.error('Expecting operator', token);
  }

  private parseOperand(operator: JqlOperator): JqlOperand {
    const token = this.peek();

    if (token.type === 'lparen') {
      return { kind: 'list', values: this.parseValueList(false), position: token.position };
    }

    const value = this.parseValue();
    if (value.kind === 'text' && !value.quoted && this.peek().type === 'lparen') {
      return { kind: 'function', name: value.text, args: this.parseValueList(true), position: value.position };
    }
    if ((operator === 'in' || operator === 'not in') && value.kind === 'text') {
      throw this.error("Expecting '('", token);
    }
    return value;
  }

  /** Parses `( value {, value} )`. An empty list is allowed only for function arguments. */
  private parseValueList(allowEmpty: boolean): JqlValue[] {
    this.advance();
    const values: JqlValue[] = [];
    if (allowEmpty && this.peek().type === 'rparen') {
      this.advance();
      return values;
    }

    values.push(this.parseValue());
    while (this.peek().type === 'comma') {
      this.advance();
      values.push(this.parseValue());
    }

    const closing = this.peek();
    if (closing.type !== 'rparen') {
      throw this.error("Expecting ',' or ')'", closing);
    }
    this.advance();
    return values;
  }

  private parseValue(): JqlValue {
    const token = this.peek();
    const word = token.type === 'word' ? token.text.toLowerCase() : null;

    if (word === 'empty' || word === 'null') {
      this.advance();
      return { kind: 'empty', position: token.position };
    }
    if (token.type === 'string' || (token.type === 'word' && !RESERVED_WORDS.has(word ?? ''))) {
      this.advance();
      return { kind: 'text', text: token.text, quoted: token.type === 'string', position: token.position };
    }
    throw this.error('Expecting either a value, list or function', token);
  }

  private parseOrderBy(): JqlSortField[] {
    this.index += 2;
    const fields = [this.parseSortField()];
    while (this.peek().type === 'comma') {
      this.advance();
      fields.push(this.parseSortField());
    }
    return fields;
  }

  private parseSortField(): JqlSortField {
    const token = this.peek();
    const field = this.readName(token, 'Expecting a field name');
    this.advance();

    const direction = this.peekWord(0);
    if (direction === 'asc' || direction === 'desc') {
      this.advance();
      return { field, direction: direction === 'asc' ? 'ASC' : 'DESC', position: token.position };
    }
    return { field, direction: 'ASC', position: token.position };
  }

  /** Returns the field name a word or quoted string token names, or throws `expecting`. */
  private readName(token: JqlToken, expecting: string): string {
    if (token.type === 'string') return token.text;
    if (token.type === 'word' && !RESERVED_WORDS.has(token.text.toLowerCase())) return token.text;
    throw this.error(expecting, token);
  }

  private isOrderBy(): boolean {
    if (this.peekWord(0) !== 'order') return false;
    if (this.peekWord(1) !== 'by') {
      throw this.error("Expecting 'BY'", this.tokens[this.index + 1] ?? this.peek());
    }
    return true;
  }

  /** Consumes the next token if it is one of the given keywords or operator spellings. */
  private acceptKeyword(...spellings: string[]): boolean {
    const token = this.peek();
    let text: string | null = null;
    if (token.type === 'word') text = token.text.toLowerCase();
    if (token.type === 'operator') text = token.text;

    if (text === null || !spellings.includes(text)) return false;
    this.advance();
    return true;
  }

  private peek(): JqlToken {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private peekWord(offset: number): string | null {
    const token = this.tokens[this.index + offset];
    return token?.type === 'word' ? token.text.toLowerCase() : null;
  }

  private advance(): void {
    this.index += 1;
  }

  private error(expecting: string, token: JqlToken): JqlSyntaxError {
    const detail = token.type === 'eof'
      ? `${expecting} before the end of the query.`
      : `${expecting} but got '${token.text}'.`;
    return new JqlSyntaxError(this.query, detail, token.position);
  }
}
