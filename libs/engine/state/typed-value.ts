/**
 * Typed variable values, as Camunda's `TypedValue`s: every stored variable carries its type, so a
 * `Long` stays a `Long` across a round trip even though both are JavaScript numbers.
 */
import { InvalidVariableValueException } from '../errors';

/** A JSON document as stored in a `Json` variable (parsed, not text). */
export type JsonValue =
  null | string | number | boolean | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The value types this engine stores. Numbers are JavaScript numbers (Long within ±2^53). */
export type TypedValue =
  | { readonly type: 'String'; readonly value: string }
  | { readonly type: 'Integer' | 'Long' | 'Short' | 'Double'; readonly value: number }
  | { readonly type: 'Boolean'; readonly value: boolean }
  | { readonly type: 'Date'; readonly value: Date }
  | { readonly type: 'Json'; readonly value: JsonValue }
  | { readonly type: 'Null'; readonly value: null };

export type ValueType = TypedValue['type'];

/** Variables to set, by name. */
export type VariableMap = Readonly<Record<string, TypedValue>>;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Infers the type of an untyped JavaScript value the way Camunda's REST layer infers it from JSON:
 * string → String, integer → Integer (Long beyond 32 bits), other number → Double, boolean → Boolean,
 * null/undefined → Null, Date → Date, array or plain object → Json.
 * @throws InvalidVariableValueException for anything else (functions, class instances, NaN, invalid dates).
 */
export function typedValueOf(value: unknown): TypedValue {
  if (value === null || value === undefined) return { type: 'Null', value: null };
  switch (typeof value) {
    case 'string':
      return { type: 'String', value };
    case 'boolean':
      return { type: 'Boolean', value };
    case 'number':
      return numberValue(value);
    case 'object':
      return objectValue(value);
    default:
      throw new InvalidVariableValueException(`Cannot infer the type of a value of type '${typeof value}'`);
  }
}

/** Types every value of `values` with {@link typedValueOf}. */
export function variablesOf(values: Readonly<Record<string, unknown>>): VariableMap {
  const typed: Record<string, TypedValue> = {};
  for (const [name, value] of Object.entries(values)) typed[name] = typedValueOf(value);
  return typed;
}

/** The plain value an expression sees: numbers, strings, booleans, dates, JSON data, or null. */
export function plainValueOf(value: TypedValue): unknown {
  return value.value;
}

/** True when both values have the same type and equal content (dates by time, JSON structurally). */
export function sameTypedValue(left: TypedValue, right: TypedValue): boolean {
  if (left.type !== right.type) return false;
  if (left.value instanceof Date && right.value instanceof Date) {
    return left.value.getTime() === right.value.getTime();
  }
  if (left.type === 'Json') return JSON.stringify(left.value) === JSON.stringify(right.value);
  return left.value === right.value;
}

function numberValue(value: number): TypedValue {
  if (!Number.isFinite(value)) {
    throw new InvalidVariableValueException(`Cannot store the non-finite number ${value} in a variable`);
  }
  if (!Number.isInteger(value)) return { type: 'Double', value };
  if (value >= INT32_MIN && value <= INT32_MAX) return { type: 'Integer', value };
  return Number.isSafeInteger(value) ? { type: 'Long', value } : { type: 'Double', value };
}

function objectValue(value: object): TypedValue {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new InvalidVariableValueException('Cannot store an invalid Date');
    return { type: 'Date', value };
  }
  if (Array.isArray(value) || isPlainObject(value)) return { type: 'Json', value: toJson(value) };
  const kind = value.constructor?.name ?? 'object';
  throw new InvalidVariableValueException(`Cannot infer the type of a value of type '${kind}'`);
}

/** Copies plain data into a JSON value, refusing what JSON cannot hold. */
export function toJson(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (isPlainObject(value)) {
    const copy: Record<string, JsonValue> = {};
    for (const [key, entry] of Object.entries(value)) if (entry !== undefined) copy[key] = toJson(entry);
    return copy;
  }
  throw new InvalidVariableValueException(`Cannot store ${String(value)} in a Json variable`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Bounds of the integral types, for validation of typed input. */
export const INTEGRAL_RANGES: Readonly<Record<'Integer' | 'Long' | 'Short', readonly [number, number]>> = {
  Short: [-32768, 32767],
  Integer: [INT32_MIN, INT32_MAX],
  Long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
