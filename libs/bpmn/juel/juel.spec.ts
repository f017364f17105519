import { ExpressionEvaluationError, evaluateExpression, parseExpression } from './index';

type Variables = Record<string, unknown>;

const resolverFor = (variables: Variables) => (name: string) =>
  Object.hasOwn(variables, name) ? variables[name] : undefined;

function evaluate(source: string, variables: Variables = {}): unknown {
  return evaluateExpression(parseExpression(source), resolverFor(variables));
}

describe('text and composite expressions', () => {
  it('returns literal text unchanged', () => {
    expect(evaluate('kermit')).toBe('kermit');
    expect(evaluate('')).toBe('');
  });

  it('returns the raw value of a single expression', () => {
    const order = { total: 12 };
    expect(evaluate('${order}', { order })).toBe(order);
    expect(evaluate('${amount}', { amount: 150 })).toBe(150);
    expect(evaluate('#{amount}', { amount: 150 })).toBe(150);
  });

  it('interpolates values into composite text', () => {
    expect(evaluate('Hello ${name}, you owe ${amount * 2}!', { name: 'Ada', amount: 21 })).toBe(
      'Hello Ada, you owe 42!',
    );
  });

  it('writes null as nothing, dates as ISO-8601 and JSON as JSON inside text', () => {
    const variables = { nothing: null, due: new Date(Date.UTC(2024, 0, 31, 12)), json: { a: [1, 'b'] } };
    expect(evaluate('[${nothing}] ${due} ${json}', variables)).toBe(
      '[] 2024-01-31T12:00:00.000Z {"a":[1,"b"]}',
    );
  });

  it('keeps an escaped dollar-brace as literal text', () => {
    expect(evaluate('costs \\${price} = ${price}', { price: 3 })).toBe('costs ${price} = 3');
  });

  it('does not end an expression at a brace inside a string literal', () => {
    expect(evaluate("${'}' == brace}", { brace: '}' })).toBe(true);
  });
});

describe('literals', () => {
  it.each([
    ['${42}', 42],
    ['${3.25}', 3.25],
    ['${.5}', 0.5],
    ['${1e3}', 1000],
    ['${2.5E-1}', 0.25],
    ["${'single'}", 'single'],
    ['${"double"}', 'double'],
    ["${'it\\'s'}", "it's"],
    ['${"say \\"hi\\""}', 'say "hi"'],
    ["${'back\\\\slash'}", 'back\\slash'],
    ['${true}', true],
    ['${false}', false],
    ['${null}', null],
  ])('evaluates %s', (source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });
});

describe('variables and properties', () => {
  const variables = {
    customer: { name: 'Ada', address: { city: 'London' }, tags: ['gold', 'early'], 'first-order': 7 },
    items: [{ sku: 'a-1' }, { sku: 'b-2' }],
    position: 1,
    nothing: null,
  };

  it.each([
    ['${customer.name}', 'Ada'],
    ["${customer['name']}", 'Ada'],
    ['${customer.address.city}', 'London'],
    ["${customer['first-order']}", 7],
    ['${customer.tags[0]}', 'gold'],
    ["${customer.tags['1']}", 'early'],
    ['${items[position].sku}', 'b-2'],
    ['${items[position - 1]["sku"]}', 'a-1'],
  ])('reads %s', (source, expected) => {
    expect(evaluate(source, variables)).toBe(expected);
  });

  it.each([
    ['a missing key', '${customer.phone}'],
    ['an index past the end', '${items[5]}'],
    ['a negative index', '${items[-1]}'],
    ['a property of null', '${nothing.name}'],
    ['an index into null', '${nothing[0]}'],
    ['an inherited property', '${customer.toString}'],
    ['an inherited property by brackets', "${customer['hasOwnProperty']}"],
  ])('reads %s as null', (_, source) => {
    expect(evaluate(source, variables)).toBeNull();
  });

  it('resolves a variable holding null to null', () => {
    expect(evaluate('${nothing}', variables)).toBeNull();
  });

  it('reports an unknown variable in Camunda wording', () => {
    expect(() => evaluate('${amount > 100}')).toThrow(
      new ExpressionEvaluationError(
        "Unknown property used in expression: ${amount > 100}. Cause: Cannot resolve identifier 'amount'",
      ),
    );
  });

  it('names the whole text when the unknown variable sits in composite text', () => {
    expect(() => evaluate('Dear ${title} ${name}', { title: 'Dr' })).toThrow(
      "Unknown property used in expression: Dear ${title} ${name}. Cause: Cannot resolve identifier 'name'",
    );
  });

  it('refuses a non-integer array index', () => {
    expect(() => evaluate("${items['first']}", variables)).toThrow("Cannot use 'first' as an array index");
  });

  it('refuses to read a property of a number', () => {
    expect(() => evaluate('${position.value}', variables)).toThrow(
      "Error while evaluating expression: ${position.value}. Cause: Cannot read property 'value' of a number",
    );
  });
});

describe('lengths and whitelisted methods', () => {
  const variables = {
    list: [1, 2, 3],
    text: 'hello',
    map: { a: 1, b: 2 },
    none: [],
    blank: '',
    nothing: null,
  };

  it.each([
    ['${list.length}', 3],
    ['${text.length}', 5],
    ['${list.size()}', 3],
    ['${map.size()}', 2],
    ['${text.length()}', 5],
    ['${none.isEmpty()}', true],
    ['${blank.isEmpty()}', true],
    ['${list.isEmpty()}', false],
    ["${text.contains('ell')}", true],
    ["${text.contains('xyz')}", false],
    ['${list.contains(2)}', true],
    ["${list.contains('2')}", false],
    ['${list.size() > 2 and text.length() == 5}', true],
  ])('evaluates %s', (source, expected) => {
    expect(evaluate(source, variables)).toBe(expected);
  });

  it('finds structurally equal JSON in an array', () => {
    expect(evaluate('${orders.contains(order)}', { orders: [{ id: 1 }, { id: 2 }], order: { id: 2 } })).toBe(
      true,
    );
  });

  it('refuses a method on a value that does not have it', () => {
    expect(() => evaluate('${text.size()}', variables)).toThrow('size() cannot be called on a string');
    expect(() => evaluate('${nothing.isEmpty()}', variables)).toThrow('isEmpty() cannot be called on null');
  });
});
