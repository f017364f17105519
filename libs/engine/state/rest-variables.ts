/**
 * Conversion between Camunda's REST variable DTO (`{value, type, valueInfo}`) and typed values, with
 * Camunda's validation messages. The type name is matched like Camunda's `fromRestApiTypeName`: the
 * first letter may be lower case (`string`, `String`), the rest must match.
 */
import { InvalidVariableValueException } from '../errors';
import { parseDateTime } from '../execution/timers';
import {
  INTEGRAL_RANGES,
  toJson,
  typedValueOf,
  type TypedValue,
  type ValueType,
  type VariableMap,
} from './typed-value';

/** A variable as the REST API carries it. `type` missing or null means "infer from the JSON value". */
export interface RestVariableValue {
  readonly value?: unknown;
  readonly type?: string | null;
  readonly valueInfo?: Readonly<Record<string, unknown>> | null;
}

/** A variable as the REST API returns it: dates stay `Date` (the HTTP layer formats them), JSON is text. */
export interface RestVariableOutput {
  readonly type: ValueType;
  readonly value: string | number | boolean | Date | null;
  readonly valueInfo: Readonly<Record<string, unknown>>;
}

const JAVA_TYPES: Readonly<Record<Exclude<ValueType, 'Json' | 'Null'>, string>> = {
  String: 'java.lang.String',
  Integer: 'java.lang.Integer',
  Long: 'java.lang.Long',
  Short: 'java.lang.Short',
  Double: 'java.lang.Double',
  Boolean: 'java.lang.Boolean',
  Date: 'java.util.Date',
};

const VALUE_TYPES: readonly ValueType[] = [
  'String',
  'Integer',
  'Long',
  'Short',
  'Double',
  'Boolean',
  'Date',
  'Json',
  'Null',
];
const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads one REST variable value.
 * @throws InvalidVariableValueException `Unsupported value type '<t>'` for an unknown type, and
 * `Cannot convert value '<v>' of type '<t>' to java type <class>` when the value does not fit the type.
 */
export function fromRestVariable(dto: RestVariableValue): TypedValue {
  const value = dto.value ?? null;
  if (dto.type === undefined || dto.type === null) return typedValueOf(value);
  const type = valueTypeNamed(dto.type);
  if (type === 'Json') return jsonValue(value);
  // A typed null (`{value: null, type: 'Integer'}`) is stored as Null: Camunda keeps the declared
  // type, but a null behaves the same in expressions and on output.
  if (type === 'Null' || value === null) return { type: 'Null', value: null };
  const converted = convert(type, value);
  if (converted === undefined) {
    throw new InvalidVariableValueException(
      `Cannot convert value '${describe(value)}' of type '${dto.type}' to java type ${JAVA_TYPES[type]}`,
    );
  }
  return converted;
}

/** Reads a map of REST variables; see {@link fromRestVariable}. */
export function fromRestVariables(
  dtos: Readonly<Record<string, RestVariableValue>> | null | undefined,
): VariableMap {
  const typed: Record<string, TypedValue> = {};
  for (const [name, dto] of Object.entries(dtos ?? {})) typed[name] = fromRestVariable(dto);
  return typed;
}

/** Renders a typed value as Camunda's REST `VariableValueDto`. */
export function toRestVariable(value: TypedValue): RestVariableOutput {
  if (value.type === 'Json') {
    return { type: 'Json', value: JSON.stringify(value.value), valueInfo: {} };
  }
  return { type: value.type, value: value.value, valueInfo: {} };
}

function valueTypeNamed(name: string): ValueType {
  const type = VALUE_TYPES.find((candidate) => candidate === name || lowerFirst(candidate) === name);
  if (type === undefined) throw new InvalidVariableValueException(`Unsupported value type '${name}'`);
  return type;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function convert(type: Exclude<ValueType, 'Json' | 'Null'>, value: unknown): TypedValue | undefined {
  switch (type) {
    case 'String':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? { type, value: String(value) }
        : undefined;
    case 'Boolean':
      return convertBoolean(value);
    case 'Integer':
    case 'Long':
    case 'Short': {
      const number = numberFrom(value);
      const [min, max] = INTEGRAL_RANGES[type];
      return number !== undefined && Number.isInteger(number) && number >= min && number <= max
        ? { type, value: number }
        : undefined;
    }
    case 'Double': {
      const number = numberFrom(value);
      return number === undefined ? undefined : { type, value: number };
    }
    case 'Date': {
      const date = typeof value === 'string' ? parseDateTime(value) : null;
      return date === null ? undefined : { type, value: date };
    }
  }
}

function convertBoolean(value: unknown): TypedValue | undefined {
  if (typeof value === 'boolean') return { type: 'Boolean', value };
  if (value === 'true' || value === 'false') return { type: 'Boolean', value: value === 'true' };
  return undefined;
}

function numberFrom(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

/** Camunda stores Json as text: a REST Json value must be a string holding a JSON document. */
function jsonValue(value: unknown): TypedValue {
  if (value === null) return { type: 'Null', value: null };
  if (typeof value !== 'string') {
    throw new InvalidVariableValueException(
      "Must provide 'null' or String value for value of SerializableValue type 'Json'.",
    );
  }
  try {
    return { type: 'Json', value: toJson(JSON.parse(value)) };
  } catch (error) {
    throw new InvalidVariableValueException(
      `Cannot convert value '${value}' of type 'Json': not a JSON document`,
      {
        cause: error,
      },
    );
  }
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
