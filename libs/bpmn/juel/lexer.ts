/**
 * Splits the inside of one `${…}` into tokens. Word operators (`and`, `gt`, `mod`, …) come out as
 * their symbolic twins, so the parser only knows one spelling of each.
 */
import { type LiteralValue } from './ast';
import { ExpressionSyntaxError } from './errors';

export type OperatorSymbol =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '=='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>='
  | '&&'
  | '||'
  | '!'
  | 'empty'
  | '('
  | ')'
  | '['
  | ']'
  | '.'
  | ','
  | '?'
  | ':';

/** `column` is 1-based in the whole source text; `text` is the token as written, for messages. */
export type Token =
  | { readonly kind: 'literal'; readonly value: LiteralValue; readonly text: string; readonly column: number }
  | { readonly kind: 'identifier'; readonly name: string; readonly text: string; readonly column: number }
  | {
      readonly kind: 'operator';
      readonly symbol: OperatorSymbol;
      readonly text: string;
      readonly column: number;
    }
  | { readonly kind: 'end'; readonly text: string; readonly column: number };

const WORDS: Readonly<Record<string, OperatorSymbol>> = {
  and: '&&',
  or: '||',
  not: '!',
  eq: '==',
  ne: '!=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
  div: '/',
  mod: '%',
  empty: 'empty',
};
const WORD_LITERALS: Readonly<Record<string, LiteralValue>> = { true: true, false: false, null: null };

// Longest first, so `<=` wins over `<`.
const SYMBOLS: readonly OperatorSymbol[] = [
  ...(['==', '!=', '<=', '>=', '&&', '||'] as const),
  ...(['+', '-', '*', '/', '%', '<', '>', '!', '(', ')', '[', ']', '.', ',', '?', ':'] as const),
];

/** Characters that look like operators from other languages, with a hint for the author. */
const MISTAKES: Readonly<Record<string, string>> = {
  '=': "assignment is not supported; use '==' to compare",
  '&': "use '&&' or 'and'",
  '|': "use '||' or 'or'",
};

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENTIFIER = /[\p{L}_$][\p{L}\p{N}_$]*/uy;
const WHITESPACE = /\s+/y;

/**
 * Tokenizes `source.slice(start, end)`, the inside of a `${…}`; the result always ends with an `end`
 * token positioned at `end` (the closing brace).
 */
export function tokenize(source: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  const fail = (reason: string, at: number): never => {
    throw new ExpressionSyntaxError(reason, at + 1, source);
  };
  let at = start;
  while (at < end) {
    const whitespace = matchAt(WHITESPACE, source, at, end);
    if (whitespace) {
      at += whitespace.length;
      continue;
    }
    const column = at + 1;
    const char = source.charAt(at);
    const number = matchAt(NUMBER, source, at, end);
    const word = number ? null : matchAt(IDENTIFIER, source, at, end);
    if (number) {
      tokens.push({ kind: 'literal', value: Number(number), text: number, column });
      at += number.length;
    } else if (word) {
      tokens.push(wordToken(word, column, () => fail(`'${word}' is not supported`, at)));
      at += word.length;
    } else if (char === "'" || char === '"') {
      const literal = readString(source, at, end, fail);
      tokens.push({ kind: 'literal', value: literal.value, text: source.slice(at, literal.next), column });
      at = literal.next;
    } else {
      const symbol = SYMBOLS.find((candidate) => source.startsWith(candidate, at));
      if (!symbol) return fail(MISTAKES[char] ?? `unexpected character '${char}'`, at);
      tokens.push({ kind: 'operator', symbol, text: symbol, column });
      at += symbol.length;
    }
  }
  tokens.push({ kind: 'end', text: 'end of expression', column: end + 1 });
  return tokens;
}

function wordToken(word: string, column: number, unsupported: () => never): Token {
  if (word === 'instanceof') return unsupported();
  if (Object.hasOwn(WORD_LITERALS, word)) {
    return { kind: 'literal', value: WORD_LITERALS[word] ?? null, text: word, column };
  }
  const symbol = Object.hasOwn(WORDS, word) ? WORDS[word] : undefined;
  if (symbol) return { kind: 'operator', symbol, text: word, column };
  return { kind: 'identifier', name: word, text: word, column };
}

function matchAt(pattern: RegExp, source: string, at: number, end: number): string | null {
  pattern.lastIndex = at;
  const match = pattern.exec(source)?.[0];
  return match && at + match.length <= end ? match : null;
}

/**
 * Reads a quoted string starting at `start`. Only `\\`, `\'` and `\"` are escapes, as in JUEL; any
 * other backslash sequence is an error rather than a silent guess.
 */
function readString(
  source: string,
  start: number,
  end: number,
  fail: (reason: string, at: number) => never,
): { value: string; next: number } {
  const quote = source.charAt(start);
  let value = '';
  for (let at = start + 1; at < end; at++) {
    const char = source.charAt(at);
    if (char === quote) return { value, next: at + 1 };
    if (char !== '\\') {
      value += char;
      continue;
    }
    const escaped = source.charAt(at + 1);
    if (escaped !== '\\' && escaped !== "'" && escaped !== '"') {
      return fail(`invalid escape sequence '\\${escaped}'; only \\\\, \\' and \\" are allowed`, at);
    }
    value += escaped;
    at++;
  }
  return fail('unterminated string literal', start);
}

/**
 * Finds the `}` closing the expression whose `${` or `#{` starts at `open`, skipping string literals
 * so a brace inside quotes does not end it.
 */
export function findClosingBrace(source: string, open: number): number {
  let quoteAt = -1;
  for (let at = open + 2; at < source.length; at++) {
    const char = source.charAt(at);
    if (quoteAt >= 0) {
      if (char === '\\') at++;
      else if (char === source.charAt(quoteAt)) quoteAt = -1;
    } else if (char === "'" || char === '"') {
      quoteAt = at;
    } else if (char === '}') {
      return at;
    }
  }
  if (quoteAt >= 0) throw new ExpressionSyntaxError('unterminated string literal', quoteAt + 1, source);
  const opening = source.slice(open, open + 2);
  throw new ExpressionSyntaxError(`missing '}' to close '${opening}'`, open + 1, source);
}
