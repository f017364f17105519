/**
 * Text → `Expression`. The text is split into literal parts and `${…}` / `#{…}` parts; each of the
 * latter is parsed by recursive descent with JUEL's precedence, loosest first:
 * `?:` < `||` < `&&` < `== !=` < `< > <= >=` < `+ -` < `* / %` < unary `- ! empty` < `. [] ()`.
 */
import {
  FORBIDDEN_NAMES,
  METHOD_ARITY,
  assertNever,
  type BinaryOperator,
  type Expression,
  type ExpressionPart,
  type LogicalOperator,
  type MethodName,
  type Node,
} from './ast';
import { ExpressionSyntaxError } from './errors';
import { findClosingBrace, tokenize, type OperatorSymbol, type Token } from './lexer';

/**
 * Deepest nesting accepted, counted both in parser recursion and in the height of the tree. Real
 * conditions stay far below it; it keeps hostile input from overflowing the stack of the parser or
 * of the (equally recursive) evaluator.
 */
const MAX_DEPTH = 200;

type InfixOperator = BinaryOperator | LogicalOperator;

/** Infix precedence levels, loosest first. */
const LEVELS: readonly (readonly InfixOperator[])[] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

/** Parses literal text, a single `${…}`, or a mix of both. Throws `ExpressionSyntaxError`. */
export function parseTemplate(source: string): Expression {
  const parts: ExpressionPart[] = [];
  let text = '';
  let at = 0;
  while (at < source.length) {
    const char = source.charAt(at);
    const next = source.charAt(at + 1);
    if (char === '\\' && (next === '$' || next === '#')) {
      // JUEL's escape: `\${` is the literal text `${`.
      text += next;
      at += 2;
    } else if ((char === '$' || char === '#') && next === '{') {
      const close = findClosingBrace(source, at);
      if (text) parts.push(Object.freeze({ kind: 'text', text }));
      text = '';
      const node = new Parser(source, at + 2, close).parse();
      parts.push(Object.freeze({ kind: 'eval', source: source.slice(at, close + 1), node }));
      at = close + 1;
    } else {
      text += char;
      at += 1;
    }
  }
  if (text) parts.push(Object.freeze({ kind: 'text', text }));
  return Object.freeze({ source, parts: Object.freeze(parts) });
}

class Parser {
  private readonly tokens: readonly Token[];
  private position = 0;
  private nesting = 0;
  private readonly heights = new WeakMap<Node, number>();

  constructor(
    private readonly source: string,
    start: number,
    end: number,
  ) {
    this.tokens = tokenize(source, start, end);
  }

  parse(): Node {
    if (this.peek().kind === 'end') return this.fail('empty expression', this.peek());
    const node = this.parseConditional();
    const rest = this.peek();
    if (rest.kind !== 'end') return this.fail(`unexpected ${describe(rest)}`, rest);
    return node;
  }

  private parseConditional(): Node {
    return this.nested(() => {
      const test = this.parseInfix(0);
      if (!this.accept('?')) return test;
      const whenTrue = this.parseConditional();
      this.expect(':');
      const whenFalse = this.parseConditional();
      return this.build({ kind: 'conditional', test, whenTrue, whenFalse }, test, whenTrue, whenFalse);
    });
  }

  private parseInfix(level: number): Node {
    const operators = LEVELS[level];
    if (!operators) return this.parseUnary();
    let left = this.parseInfix(level + 1);
    for (let operator = this.acceptAny(operators); operator; operator = this.acceptAny(operators)) {
      const right = this.parseInfix(level + 1);
      left =
        operator === '&&' || operator === '||'
          ? this.build({ kind: 'logical', operator, left, right }, left, right)
          : this.build({ kind: 'binary', operator, left, right }, left, right);
    }
    return left;
  }

  private parseUnary(): Node {
    const operator = this.acceptAny(['-', '!', 'empty'] as const);
    if (!operator) return this.parsePostfix();
    return this.nested(() => {
      const operand = this.parseUnary();
      return this.build({ kind: 'unary', operator, operand }, operand);
    });
  }

  private parsePostfix(): Node {
    let node = this.parsePrimary();
    for (;;) {
      if (this.accept('.')) {
        const name = this.peek();
        if (name.kind !== 'identifier') {
          return this.fail(`expected a property name after '.' but found ${describe(name)}`, name);
        }
        this.position += 1;
        node = this.accept('(')
          ? this.parseCall(node, name)
          : this.build({ kind: 'member', object: node, property: this.allowedName(name.name, name) }, node);
      } else if (this.accept('[')) {
        const keyToken = this.peek();
        const index = this.parseConditional();
        this.expect(']');
        if (index.kind === 'literal' && typeof index.value === 'string')
          this.allowedName(index.value, keyToken);
        node = this.build({ kind: 'index', object: node, index }, node, index);
      } else {
        return node;
      }
    }
  }

  /** Called after `object.name(`: only the whitelisted methods, with their exact number of arguments. */
  private parseCall(object: Node, name: Token & { kind: 'identifier' }): Node {
    const method = name.name;
    if (!isMethodName(method)) {
      return this.fail(
        `method '${method}()' is not supported; only size(), length(), isEmpty() and contains(value) may be called`,
        name,
      );
    }
    const args: Node[] = [];
    if (!this.accept(')')) {
      do args.push(this.parseConditional());
      while (this.accept(','));
      this.expect(')');
    }
    const arity = METHOD_ARITY[method];
    if (args.length !== arity) {
      return this.fail(`${method}() takes ${arity} argument(s) but was given ${args.length}`, name);
    }
    return this.build({ kind: 'call', object, method, args: Object.freeze(args) }, object, ...args);
  }

  private parsePrimary(): Node {
    const token = this.peek();
    if (token.kind !== 'end') this.position += 1;
    switch (token.kind) {
      case 'literal':
        return this.build({ kind: 'literal', value: token.value });
      case 'identifier':
        if (this.accept('(')) return this.fail(`function calls are not supported: '${token.name}()'`, token);
        return this.build({ kind: 'identifier', name: this.allowedName(token.name, token) });
      case 'operator':
        if (token.symbol !== '(') return this.fail(`expected an operand but found ${describe(token)}`, token);
        return this.parseParenthesized();
      case 'end':
        return this.fail(`expected an operand but found ${describe(token)}`, token);
      default:
        return assertNever(token);
    }
  }

  private parseParenthesized(): Node {
    const inner = this.parseConditional();
    this.expect(')');
    return inner;
  }

  private allowedName(name: string, at: Token): string {
    if (FORBIDDEN_NAMES.has(name)) return this.fail(`access to '${name}' is not allowed`, at);
    return name;
  }

  /** Freezes a new node and refuses it when the tree grows taller than `MAX_DEPTH`. */
  private build<T extends Node>(node: T, ...children: Node[]): T {
    const height = 1 + Math.max(0, ...children.map((child) => this.heights.get(child) ?? 0));
    if (height > MAX_DEPTH) return this.tooDeep();
    this.heights.set(node, height);
    return Object.freeze(node);
  }

  private nested(parse: () => Node): Node {
    this.nesting += 1;
    if (this.nesting > MAX_DEPTH) return this.tooDeep();
    const node = parse();
    this.nesting -= 1;
    return node;
  }

  private tooDeep(): never {
    return this.fail(`expression nests deeper than ${MAX_DEPTH} levels`, this.peek());
  }

  private peek(): Token {
    // The token list always ends with an `end` token and the position never moves past it.
    return this.tokens[this.position] ?? this.tokens[this.tokens.length - 1]!;
  }

  private accept(symbol: OperatorSymbol): boolean {
    return this.acceptAny([symbol]) !== null;
  }

  private acceptAny<S extends OperatorSymbol>(symbols: readonly S[]): S | null {
    const token = this.peek();
    const symbol =
      token.kind === 'operator' ? symbols.find((candidate) => candidate === token.symbol) : undefined;
    if (symbol === undefined) return null;
    this.position += 1;
    return symbol;
  }

  private expect(symbol: OperatorSymbol): void {
    if (!this.accept(symbol))
      this.fail(`expected '${symbol}' but found ${describe(this.peek())}`, this.peek());
  }

  private fail(reason: string, at: Token): never {
    throw new ExpressionSyntaxError(reason, at.column, this.source);
  }
}

function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHOD_ARITY, name);
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end of the expression' : `'${token.text}'`;
}
