/**
 * JUEL's type coercions (EL 2.2, section 1.18) over plain JavaScript values: the rules that make
 * `${amount > '100'}` compare numbers and `${approved and 'true'}` a boolean test.
 */
import { assertNever, type ComparisonOperator } from './ast';
import { EvaluationFailure } from './errors';

/** The values an expression can see and produce: variable data (JSON-like, plus Date). */
export type Value =
  null | string | number | boolean | Date | readonly Value[] | { readonly [key: string]: Value };

export type ValueObject = { readonly [key: string]: Value };

// What `Number()` would accept too liberally (hex, 'Infinity', blanks) is refused, as Java does.
const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Admits a value coming from a variable or a property into evaluation. Anything that is not plain
 * data (functions, class instances, symbols) is refused, so an expression can never call into code.
 */
export function admit(value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date || Array.isArray(value) || isPlainObject(value)) return value as Value;
  const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new EvaluationFailure(`Values of type ${kind} are not supported in expressions`);
}

export function isPlainObject(value: unknown): value is ValueObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `null` and `''` are 0; numeric text is parsed; everything else fails. */
export function toNumber(value: Value): number {
  if (value === null || value === '') return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) return Number(value);
  throw new EvaluationFailure(`Cannot coerce ${describe(value)} to a number`);
}

/** `null` and `''` are false; text is true only when it says `true` (any case); numbers fail. */
export function toBoolean(value: Value): boolean {
  if (value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  throw new EvaluationFailure(`Cannot coerce ${describe(value)} to a boolean`);
}

/** `null` is `''`; dates are ISO-8601; arrays and objects are JSON. */
export function toText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  return JSON.stringify(value);
}

/** `empty x`: true for null, `''`, `[]` and `{}`. */
export function isEmpty(value: Value): boolean {
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/**
 * `==` as in JUEL: a number on either side makes it numeric, then a boolean makes it boolean, then a
 * string makes it textual; dates compare by time and JSON structurally.
 */
export function looselyEquals(left: Value, right: Value): boolean {
  if (left === right) return true;
  if (left === null || right === null) return false;
  if (typeof left === 'number' || typeof right === 'number') return toNumber(left) === toNumber(right);
  if (typeof left === 'boolean' || typeof right === 'boolean') return toBoolean(left) === toBoolean(right);
  if (typeof left === 'string' || typeof right === 'string') return toText(left) === toText(right);
  return strictlyEquals(left, right);
}

/** Equality without coercion (Java's `equals`): used by `contains` and between JSON values. */
export function strictlyEquals(left: Value, right: Value): boolean {
  if (left === right) return true;
  if (left instanceof Date || right instanceof Date) {
    return left instanceof Date && right instanceof Date && left.getTime() === right.getTime();
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item: unknown, index) => strictlyEquals(admit(item), admit(right[index])))
    );
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length &&
      keys.every((key) => Object.hasOwn(right, key) && strictlyEquals(admit(left[key]), admit(right[key])))
    );
  }
  return false;
}

/**
 * `<`, `>`, `<=`, `>=` as in JUEL: null on either side is false; numbers (coercing the other side),
 * then text (lexicographic), then dates by time, then booleans; anything else fails.
 */
export function compare(
  operator: Exclude<ComparisonOperator, '==' | '!='>,
  left: Value,
  right: Value,
): boolean {
  if (left === right) return operator === '<=' || operator === '>=';
  if (left === null || right === null) return false;
  const order = orderOf(left, right);
  switch (operator) {
    case '<':
      return order < 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '>=':
      return order >= 0;
    default:
      return assertNever(operator);
  }
}

/** Negative, zero or positive; NaN (from NaN numbers or invalid dates) makes every comparison false. */
function orderOf(left: Value, right: Value): number {
  if (typeof left === 'number' || typeof right === 'number') return toNumber(left) - toNumber(right);
  if (typeof left === 'string' || typeof right === 'string') {
    const [a, b] = [toText(left), toText(right)];
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (left instanceof Date && right instanceof Date) return left.getTime() - right.getTime();
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  throw new EvaluationFailure(`Cannot compare ${describe(left)} with ${describe(right)}`);
}

/** A short description of a value for error messages. */
export function describe(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return `the date ${toText(value)}`;
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** The type name used in error messages. */
export function typeName(value: Value): string {
  if (value === null) return 'null';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
