/**
 * The parsed form of an expression. Every node is frozen when the parser builds it, so an `Expression`
 * can be cached with its process model and evaluated by any number of instances at once.
 */

export type LiteralValue = string | number | boolean | null;

export type UnaryOperator = '-' | '!' | 'empty';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type ComparisonOperator = '==' | '!=' | '<' | '>' | '<=' | '>=';
export type BinaryOperator = ArithmeticOperator | ComparisonOperator;
export type LogicalOperator = '&&' | '||';

/** The only methods an expression may call; the value is the number of arguments each takes. */
export const METHOD_ARITY = { size: 0, length: 0, isEmpty: 0, contains: 1 } as const;
export type MethodName = keyof typeof METHOD_ARITY;

/** Names that would reach into JavaScript internals; refused as identifiers and as property names. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type Node =
  | { readonly kind: 'literal'; readonly value: LiteralValue }
  | { readonly kind: 'identifier'; readonly name: string }
  /** `object.property`, with the name known at parse time. */
  | { readonly kind: 'member'; readonly object: Node; readonly property: string }
  /** `object[index]`, with the key computed at evaluation time. */
  | { readonly kind: 'index'; readonly object: Node; readonly index: Node }
  | {
      readonly kind: 'call';
      readonly object: Node;
      readonly method: MethodName;
      readonly args: readonly Node[];
    }
  | { readonly kind: 'unary'; readonly operator: UnaryOperator; readonly operand: Node }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: Node; readonly right: Node }
  /** `&&` and `||` get their own kind because they short-circuit. */
  | {
      readonly kind: 'logical';
      readonly operator: LogicalOperator;
      readonly left: Node;
      readonly right: Node;
    }
  | { readonly kind: 'conditional'; readonly test: Node; readonly whenTrue: Node; readonly whenFalse: Node };

/** A piece of a parsed text: literal characters, or one `${…}` / `#{…}` to evaluate. */
export type ExpressionPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'eval'; readonly source: string; readonly node: Node };

/** A compiled expression: the source text and its parsed form. Immutable, safe to share and cache. */
export interface Expression {
  /** The text exactly as given to `parseExpression`. */
  readonly source: string;
  /** Literal text and evaluated parts in source order; empty for the empty text. */
  readonly parts: readonly ExpressionPart[];
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
