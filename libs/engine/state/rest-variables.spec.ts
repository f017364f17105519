import {
  fromRestVariable,
  fromRestVariables,
  InvalidVariableValueException,
  toRestVariable,
  typedValueOf,
} from '..';

describe('typed values from untyped JavaScript', () => {
  it.each([
    ['text', { type: 'String', value: 'text' }],
    [7, { type: 'Integer', value: 7 }],
    [2_147_483_648, { type: 'Long', value: 2_147_483_648 }],
    [-2_147_483_648, { type: 'Integer', value: -2_147_483_648 }],
    [1.5, { type: 'Double', value: 1.5 }],
    [true, { type: 'Boolean', value: true }],
    [null, { type: 'Null', value: null }],
    [undefined, { type: 'Null', value: null }],
    [{ a: [1, 'x'] }, { type: 'Json', value: { a: [1, 'x'] } }],
    [[1, 2], { type: 'Json', value: [1, 2] }],
  ])('types %j', (value, typed) => {
    expect(typedValueOf(value)).toEqual(typed);
  });

  it('types a Date as Date', () => {
    const date = new Date('2024-01-01T00:00:00Z');
    expect(typedValueOf(date)).toEqual({ type: 'Date', value: date });
  });

  it('refuses values that are not data', () => {
    expect(() => typedValueOf(() => 1)).toThrow(InvalidVariableValueException);
    expect(() => typedValueOf(new Map())).toThrow("Cannot infer the type of a value of type 'Map'");
    expect(() => typedValueOf(Number.NaN)).toThrow(InvalidVariableValueException);
  });
});

describe('REST variable values', () => {
  it.each([
    [
      { value: 'a', type: 'String' },
      { type: 'String', value: 'a' },
    ],
    [
      { value: 12, type: 'string' },
      { type: 'String', value: '12' },
    ],
    [
      { value: 100, type: 'Integer' },
      { type: 'Integer', value: 100 },
    ],
    [
      { value: '100', type: 'Integer' },
      { type: 'Integer', value: 100 },
    ],
    [
      { value: 5_000_000_000, type: 'Long' },
      { type: 'Long', value: 5_000_000_000 },
    ],
    [
      { value: 12, type: 'Short' },
      { type: 'Short', value: 12 },
    ],
    [
      { value: 2.5, type: 'Double' },
      { type: 'Double', value: 2.5 },
    ],
    [
      { value: 'false', type: 'Boolean' },
      { type: 'Boolean', value: false },
    ],
    [
      { value: '2016-01-25T13:33:42.165+0100', type: 'Date' },
      { type: 'Date', value: new Date('2016-01-25T12:33:42.165Z') },
    ],
    [
      { value: '{"a":1}', type: 'Json' },
      { type: 'Json', value: { a: 1 } },
    ],
    [
      { value: null, type: 'Null' },
      { type: 'Null', value: null },
    ],
    [
      { value: null, type: 'Integer' },
      { type: 'Null', value: null },
    ],
    [{ value: 3 }, { type: 'Integer', value: 3 }],
    [
      { value: { b: true }, type: null },
      { type: 'Json', value: { b: true } },
    ],
  ])('reads %j', (dto, typed) => {
    expect(fromRestVariable(dto)).toEqual(typed);
  });

  it.each([
    [
      { value: 'abc', type: 'Integer' },
      "Cannot convert value 'abc' of type 'Integer' to java type java.lang.Integer",
    ],
    [
      { value: 3_000_000_000, type: 'Integer' },
      "Cannot convert value '3000000000' of type 'Integer' to java type java.lang.Integer",
    ],
    [{ value: 1.5, type: 'Long' }, "Cannot convert value '1.5' of type 'Long' to java type java.lang.Long"],
    [
      { value: 'yes', type: 'Boolean' },
      "Cannot convert value 'yes' of type 'Boolean' to java type java.lang.Boolean",
    ],
    [
      { value: 'soon', type: 'Date' },
      "Cannot convert value 'soon' of type 'Date' to java type java.util.Date",
    ],
    [
      { value: { a: 1 }, type: 'String' },
      "Cannot convert value '{\"a\":1}' of type 'String' to java type java.lang.String",
    ],
    [{ value: 1, type: 'Money' }, "Unsupported value type 'Money'"],
    [{ value: 1, type: 'INTEGER' }, "Unsupported value type 'INTEGER'"],
    [
      { value: { a: 1 }, type: 'Json' },
      "Must provide 'null' or String value for value of SerializableValue type 'Json'.",
    ],
  ])('refuses %j', (dto, message) => {
    expect(() => fromRestVariable(dto)).toThrow(new InvalidVariableValueException(message));
  });

  it('reads a whole variable map', () => {
    expect(fromRestVariables({ amount: { value: 100, type: 'Integer' }, name: { value: 'x' } })).toEqual({
      amount: { type: 'Integer', value: 100 },
      name: { type: 'String', value: 'x' },
    });
    expect(fromRestVariables(undefined)).toEqual({});
  });

  it('renders typed values back in the REST shape, JSON as text', () => {
    expect(toRestVariable({ type: 'Json', value: { a: [1] } })).toEqual({
      type: 'Json',
      value: '{"a":[1]}',
      valueInfo: {},
    });
    expect(toRestVariable({ type: 'Long', value: 5 })).toEqual({ type: 'Long', value: 5, valueInfo: {} });
  });
});
