/**
 * Walks a parsed expression. Values only ever come from literals, from `resolve`, and from own data
 * properties of plain objects and arrays; nothing here can call a function the data carries.
 */
import {
  FORBIDDEN_NAMES,
  assertNever,
  type ArithmeticOperator,
  type BinaryOperator,
  type ExpressionPart,
  type MethodName,
  type Node,
  type UnaryOperator,
} from './ast';
import {
  admit,
  compare,
  describe,
  isEmpty,
  isPlainObject,
  looselyEquals,
  strictlyEquals,
  toBoolean,
  toNumber,
  toText,
  typeName,
  type Value,
} from './coercion';
import { EvaluationFailure } from './errors';

/** Returns a variable's value, or `undefined` when there is no such variable. */
export type Resolver = (name: string) => unknown;

/**
 * A single `${…}` yields its raw value; anything else (literal text, or text mixed with `${…}`)
 * yields the concatenated text.
 */
export function evaluateParts(parts: readonly ExpressionPart[], resolve: Resolver): Value {
  const [only] = parts;
  if (parts.length === 1 && only?.kind === 'eval') return evaluateNode(only.node, resolve);
  return parts
    .map((part) => (part.kind === 'text' ? part.text : toText(evaluateNode(part.node, resolve))))
    .join('');
}

export function evaluateNode(node: Node, resolve: Resolver): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'identifier':
      return resolveIdentifier(node.name, resolve);
    case 'member':
      return readProperty(evaluateNode(node.object, resolve), node.property);
    case 'index': {
      const object = evaluateNode(node.object, resolve);
      return object === null ? null : readProperty(object, evaluateNode(node.index, resolve));
    }
    case 'call': {
      const object = evaluateNode(node.object, resolve);
      return callMethod(
        object,
        node.method,
        node.args.map((arg) => evaluateNode(arg, resolve)),
      );
    }
    case 'unary':
      return applyUnary(node.operator, evaluateNode(node.operand, resolve));
    case 'binary':
      return applyBinary(node.operator, evaluateNode(node.left, resolve), evaluateNode(node.right, resolve));
    case 'logical': {
      const left = toBoolean(evaluateNode(node.left, resolve));
      // Short-circuit: when the left side decides, the right one is never evaluated, so it may name
      // variables that do not exist (`${approved and order.total > 100}`).
      if (node.operator === '&&' ? !left : left) return left;
      return toBoolean(evaluateNode(node.right, resolve));
    }
    case 'conditional': {
      const branch = toBoolean(evaluateNode(node.test, resolve)) ? node.whenTrue : node.whenFalse;
      return evaluateNode(branch, resolve);
    }
    default:
      return assertNever(node);
  }
}

function resolveIdentifier(name: string, resolve: Resolver): Value {
  const value = resolve(name);
  if (value === undefined) throw new EvaluationFailure(`Cannot resolve identifier '${name}'`, true);
  return admit(value);
}

/** `object.key` / `object[key]`. Null bases, null keys, missing keys and indexes out of range read as null, as in JUEL. */
function readProperty(object: Value, key: Value): Value {
  if (object === null || key === null) return null;
  if (typeof key === 'string' && FORBIDDEN_NAMES.has(key)) {
    throw new EvaluationFailure(`Access to '${key}' is not allowed`);
  }
  if (Array.isArray(object)) return key === 'length' ? object.length : readIndex(object, key);
  if (typeof object === 'string' && key === 'length') return object.length;
  if (isPlainObject(object)) {
    if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
      throw new EvaluationFailure(`Cannot use ${describe(key)} as a property name`);
    }
    // Own data properties only: nothing inherited from Object.prototype, and no getter is ever run.
    const descriptor = Object.getOwnPropertyDescriptor(object, String(key));
    return descriptor && 'value' in descriptor ? admit(descriptor.value) : null;
  }
  throw new EvaluationFailure(`Cannot read property ${describe(key)} of a ${typeName(object)}`);
}

function readIndex(array: readonly unknown[], key: Value): Value {
  const index =
    typeof key === 'number' ? key : typeof key === 'string' && /^\s*\d+\s*$/.test(key) ? Number(key) : NaN;
  if (!Number.isInteger(index)) throw new EvaluationFailure(`Cannot use ${describe(key)} as an array index`);
  return index >= 0 && index < array.length ? admit(array[index]) : null;
}

function callMethod(object: Value, method: MethodName, args: readonly Value[]): Value {
  switch (method) {
    case 'size':
      if (Array.isArray(object)) return object.length;
      if (isPlainObject(object)) return Object.keys(object).length;
      break;
    case 'length':
      if (typeof object === 'string') return object.length;
      break;
    case 'isEmpty':
      if (typeof object === 'string' || Array.isArray(object) || isPlainObject(object))
        return isEmpty(object);
      break;
    case 'contains': {
      const [needle = null] = args;
      if (typeof object === 'string') return object.includes(toText(needle));
      if (Array.isArray(object)) return object.some((item: unknown) => strictlyEquals(admit(item), needle));
      break;
    }
    default:
      return assertNever(method);
  }
  const target = object === null ? 'null' : `a ${typeName(object)}`;
  throw new EvaluationFailure(`${method}() cannot be called on ${target}`);
}

function applyUnary(operator: UnaryOperator, operand: Value): Value {
  switch (operator) {
    case '-':
      // `0 - x` rather than `-x`, so negating null or '' gives 0 and not -0.
      return 0 - toNumber(operand);
    case '!':
      return !toBoolean(operand);
    case 'empty':
      return isEmpty(operand);
    default:
      return assertNever(operator);
  }
}

function applyBinary(operator: BinaryOperator, left: Value, right: Value): Value {
  switch (operator) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return applyArithmetic(operator, toNumber(left), toNumber(right));
    case '==':
      return looselyEquals(left, right);
    case '!=':
      return !looselyEquals(left, right);
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compare(operator, left, right);
    default:
      return assertNever(operator);
  }
}

/** JUEL arithmetic is numeric only: `+` never concatenates text (use `Hello ${name}` for that). */
function applyArithmetic(operator: ArithmeticOperator, left: number, right: number): number {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      // Floating-point division, as in JUEL: 7 / 2 is 3.5 and 1 / 0 is Infinity.
      return left / right;
    case '%':
      if (right === 0) throw new EvaluationFailure('Division by zero');
      return left % right;
    default:
      return assertNever(operator);
  }
}
