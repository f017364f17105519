import { evaluateCondition, evaluateExpression, parseExpression } from './index';

type Variables = Record<string, unknown>;

const resolverFor = (variables: Variables) => (name: string) =>
  Object.hasOwn(variables, name) ? variables[name] : undefined;

function evaluate(source: string, variables: Variables = {}): unknown {
  return evaluateExpression(parseExpression(source), resolverFor(variables));
}

function condition(source: string, variables: Variables = {}): boolean {
  return evaluateCondition(parseExpression(source), resolverFor(variables));
}

describe('arithmetic', () => {
  it.each([
    ['${1 + 2 * 3}', 7],
    ['${(1 + 2) * 3}', 9],
    ['${10 - 4 - 3}', 3],
    ['${7 / 2}', 3.5],
    ['${7 div 2}', 3.5],
    ['${7 % 3}', 1],
    ['${7 mod 3}', 1],
    ['${-amount + 1}', -4],
    ['${- -2}', 2],
    ["${'2' * 3}", 6],
    ["${'1.5' + 1}", 2.5],
    ['${nothing + 1}', 1],
    ['${-nothing}', 0],
    ['${1 / 0}', Infinity],
  ])('evaluates %s', (source, expected) => {
    expect(evaluate(source, { amount: 5, nothing: null })).toBe(expected);
  });

  it('does not concatenate text with +, as in JUEL', () => {
    expect(() => evaluate("${'a' + 'b'}")).toThrow(
      "Error while evaluating expression: ${'a' + 'b'}. Cause: Cannot coerce 'a' to a number",
    );
  });

  it('refuses arithmetic on booleans', () => {
    expect(() => evaluate('${approved + 1}', { approved: true })).toThrow('Cannot coerce true to a number');
  });

  it('refuses a remainder by zero', () => {
    expect(() => evaluate('${5 % 0}')).toThrow('Division by zero');
  });
});

describe('comparisons', () => {
  it('compares an integer variable with a numeric literal', () => {
    expect(condition('${amount > 100}', { amount: 150 })).toBe(true);
    expect(condition('${amount > 100}', { amount: 100 })).toBe(false);
    expect(condition('${amount >= 100}', { amount: 100 })).toBe(true);
  });

  it('coerces a string to a number when the other side is a number', () => {
    expect(condition("${amount == '100'}", { amount: 100 })).toBe(true);
    expect(condition('${amount < 20}', { amount: '3' })).toBe(true);
    expect(condition("${amount gt '99.5'}", { amount: 100 })).toBe(true);
  });

  it('compares two strings lexicographically even when they hold digits', () => {
    expect(condition("${'apple' < 'banana'}")).toBe(true);
    expect(condition("${'10' < '9'}")).toBe(true);
  });

  it('compares strings for equality', () => {
    expect(condition("${status == 'gold'}", { status: 'gold' })).toBe(true);
    expect(condition('${status ne "gold"}', { status: 'silver' })).toBe(true);
  });

  it.each([
    ['${a lt b}', true],
    ['${a gt b}', false],
    ['${a le a}', true],
    ['${b ge a}', true],
    ['${a eq 1}', true],
    ['${a ne 1}', false],
  ])('supports the word operator in %s', (source, expected) => {
    expect(condition(source, { a: 1, b: 2 })).toBe(expected);
  });

  it('compares dates by time', () => {
    const variables = {
      due: new Date('2024-03-01T00:00:00Z'),
      sameDue: new Date('2024-03-01T00:00:00Z'),
      now: new Date('2024-02-01T00:00:00Z'),
    };
    expect(condition('${now < due}', variables)).toBe(true);
    expect(condition('${due == sameDue}', variables)).toBe(true);
    expect(condition('${due != now}', variables)).toBe(true);
  });

  it('treats null as equal only to null and as unordered', () => {
    expect(condition('${x == null}', { x: null })).toBe(true);
    expect(condition('${x != null}', { x: 0 })).toBe(true);
    expect(condition('${x < 1}', { x: null })).toBe(false);
    expect(condition('${x >= 1}', { x: null })).toBe(false);
  });

  it('coerces a string to a boolean when the other side is a boolean', () => {
    expect(condition("${approved == 'true'}", { approved: true })).toBe(true);
    expect(condition("${approved == 'yes'}", { approved: true })).toBe(false);
  });

  it('compares JSON values structurally', () => {
    expect(condition('${a == b}', { a: { x: [1, 2] }, b: { x: [1, 2] } })).toBe(true);
    expect(condition('${a == b}', { a: { x: [1, 2] }, b: { x: [2, 1] } })).toBe(false);
  });

  it('fails on a number compared with non-numeric text', () => {
    expect(() => condition("${amount == 'abc'}", { amount: 1 })).toThrow("Cannot coerce 'abc' to a number");
  });

  it('fails on ordering values that have no order', () => {
    expect(() => condition('${a < b}', { a: { x: 1 }, b: new Date(0) })).toThrow(
      'Cannot compare an object with',
    );
  });
});

describe('logic', () => {
  it.each([
    ['${yes && no}', false],
    ['${yes and yes}', true],
    ['${no || yes}', true],
    ['${no or no}', false],
    ['${!no}', true],
    ['${not yes}', false],
    ['${no or yes and no}', false],
    ['${(no or yes) and yes}', true],
    ['${not no and yes}', true],
    ["${yes and 'TRUE'}", true],
    ['${nothing or yes}', true],
  ])('evaluates %s', (source, expected) => {
    expect(condition(source, { yes: true, no: false, nothing: null })).toBe(expected);
  });

  it('short-circuits and/or, so the other side may name unknown variables', () => {
    expect(condition('${false and unknown}')).toBe(false);
    expect(condition('${true or unknown.deeper > 1}')).toBe(true);
  });

  it('refuses numbers as boolean operands', () => {
    expect(() => condition('${count and true}', { count: 1 })).toThrow('Cannot coerce 1 to a boolean');
  });

  it('chooses a branch with the ternary operator and evaluates only that branch', () => {
    expect(evaluate("${vip ? 'fast' : unknown}", { vip: true })).toBe('fast');
    expect(evaluate("${vip ? unknown : 'slow'}", { vip: false })).toBe('slow');
  });

  it('nests ternaries to the right', () => {
    const tier = (amount: number) =>
      evaluate("${amount > 100 ? 'high' : amount > 10 ? 'mid' : 'low'}", { amount });
    expect([tier(500), tier(50), tier(5)]).toEqual(['high', 'mid', 'low']);
  });
});

describe('empty', () => {
  it.each([
    ['null', null, true],
    ['an empty string', '', true],
    ['an empty array', [], true],
    ['an empty object', {}, true],
    ['a text', 'a', false],
    ['an array with items', [0], false],
    ['an object with keys', { a: null }, false],
    ['zero', 0, false],
    ['false', false, false],
    ['a date', new Date(0), false],
  ])('says whether %s is empty', (_, value, expected) => {
    expect(condition('${empty value}', { value })).toBe(expected);
    expect(condition('${not empty value}', { value })).toBe(!expected);
  });
});

describe('conditions', () => {
  it('ignores blank text around a condition, as Camunda trims condition bodies', () => {
    expect(condition('\n    ${approved}\n  ', { approved: true })).toBe(true);
  });

  it('refuses a condition that is not a boolean', () => {
    expect(() => condition('${amount}', { amount: 5 })).toThrow(
      'Condition expression ${amount} returns non-Boolean: 5 (number)',
    );
    expect(() => condition("${'true'}")).toThrow("returns non-Boolean: 'true' (string)");
    expect(() => condition('true')).toThrow("returns non-Boolean: 'true' (string)");
    expect(() => condition('${flag}', { flag: null })).toThrow('returns non-Boolean: null (null)');
  });
});
