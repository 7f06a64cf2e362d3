import { JqlSyntaxError } from './errors.js';

/**
 * Tokens of JQL. Words are unquoted runs such as field names, keywords
 * (`AND`, `order`), keys (`CAT-1`), numbers and relative dates (`-1w`).
 * The parser decides which words are keywords, case-insensitively.
 */
export type JqlTokenType = 'word' | 'string' | 'operator' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface JqlToken {
  readonly type: JqlTokenType;
  readonly text: string;
  /** 0-based character offset in the query. */
  readonly position: number;
}

/** Operators, longest first so that `!=` wins over `!`. */
const OPERATORS = ['!=', '>=', '<=', '!~', '&&', '||', '=', '>', '<', '~', '!', '&', '|'] as const;

const WORD_CHARACTER = /[\p{L}\p{N}_.:\-]/u;

/** Splits a JQL query into tokens. Throws `JqlSyntaxError` on a reserved character or an open string. */
export function tokenize(query: string): JqlToken[] {
  const tokens: JqlToken[] = [];
  let position = 0;

  while (position < query.length) {
    const character = query[position] ?? '';

    if (/\s/.test(character)) {
      position += 1;
      continue;
    }

    const single = singleCharacterToken(character, position);
    if (single !== null) {
      tokens.push(single);
      position += 1;
      continue;
    }

    const token = character === '"' || character === "'"
      ? readString(query, position)
      : readOperatorOrWord(query, position);
    tokens.push(token.token);
    position = token.end;
  }

  tokens.push({ type: 'eof', text: '', position: query.length });
  return tokens;
}

function singleCharacterToken(character: string, position: number): JqlToken | null {
  if (character === '(') return { type: 'lparen', text: character, position };
  if (character === ')') return { type: 'rparen', text: character, position };
  if (character === ',') return { type: 'comma', text: character, position };
  return null;
}

/** Reads a quoted string. A backslash escapes the next character. */
function readString(query: string, start: number): { token: JqlToken; end: number } {
  const quote = query[start];
  let text = '';
  let position = start + 1;

  while (position < query.length && query[position] !== quote) {
    if (query[position] === '\\' && position + 1 < query.length) {
      position += 1;
    }
    text += query[position];
    position += 1;
  }

  if (position >= query.length) {
    throw new JqlSyntaxError(query, `The quoted string '${text}' has not been completed.`, start);
  }
  return { token: { type: 'string', text, position: start }, end: position + 1 };
}

function readOperatorOrWord(query: string, start: number): { token: JqlToken; end: number } {
  const operator = OPERATORS.find((candidate) => query.startsWith(candidate, start));
  if (operator !== undefined) {
    return { token: { type: 'operator', text: operator, position: start }, end: start + operator.length };
  }

  let position = start;
  while (position < query.length && WORD_CHARACTER.test(query[position] ?? '')) {
    position += 1;
  }

  if (position === start) {
    const character = query[start] ?? '';
    const escape = `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
    throw new JqlSyntaxError(
      query,
      `The character '${character}' is a reserved JQL character. Enclose it in a string or use the escape '${escape}' instead.`,
      start,
    );
  }
  return { token: { type: 'word', text: query.slice(start, position), position: start }, end: position };
}
