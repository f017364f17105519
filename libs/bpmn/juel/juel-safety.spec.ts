import { ExpressionSyntaxError, evaluateExpression, parseExpression } from './index';

type Variables = Record<string, unknown>;

function evaluate(source: string, variables: Variables = {}): unknown {
  return evaluateExpression(parseExpression(source), (name) =>
    Object.hasOwn(variables, name) ? variables[name] : undefined,
  );
}

function syntaxErrorOf(source: string): ExpressionSyntaxError {
  try {
    parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected '${source}' not to parse`);
}

describe('syntax errors', () => {
  it.each([
    ['${amount > 100', 1, "missing '}' to close '${'"],
    ['Hello #{name', 7, "missing '}' to close '#{'"],
    ['${a >}', 6, 'expected an operand but found the end of the expression'],
    ['${}', 3, 'empty expression'],
    ['${   }', 6, 'empty expression'],
    ['${a b}', 5, "unexpected 'b'"],
    ['${(a}', 5, "expected ')' but found the end of the expression"],
    ['${a ? b}', 8, "expected ':' but found the end of the expression"],
    ['${1 +* 2}', 6, "expected an operand but found '*'"],
    ['${a.}', 5, "expected a property name after '.' but found the end of the expression"],
    ['${a.empty}', 5, "expected a property name after '.' but found 'empty'"],
    ['${a[1}', 6, "expected ']' but found the end of the expression"],
    ["${'abc}", 3, 'unterminated string literal'],
    ["${'a\\nb'}", 5, "invalid escape sequence '\\n'"],
    ['${a = 1}', 5, "assignment is not supported; use '==' to compare"],
    ['${a & b}', 5, "use '&&' or 'and'"],
    ['${a @ b}', 5, "unexpected character '@'"],
    ['${x instanceof y}', 5, "'instanceof' is not supported"],
    ['ok ${a} then ${b c}', 18, "unexpected 'c'"],
  ])('rejects %s at column %i', (source, column, reason) => {
    const error = syntaxErrorOf(source);
    expect(error.column).toBe(column);
    expect(error.reason).toContain(reason);
    expect(error.message).toBe(`Syntax error in expression '${source}' at column ${column}: ${error.reason}`);
  });

  it('accepts generous whitespace, tabs and newlines', () => {
    expect(evaluate('${\n\t amount\n  >  100 \t}', { amount: 101 })).toBe(true);
  });

  it('treats a lone dollar or hash followed by anything but a brace as text', () => {
    expect(evaluate('$5 and #1 for ${name}', { name: 'Ada' })).toBe('$5 and #1 for Ada');
  });
});

describe('method and function calls', () => {
  it.each([
    ['${order.delete()}', 'delete'],
    ['${text.toUpperCase()}', 'toUpperCase'],
    ['${list.push(1)}', 'push'],
    ['${a.hasOwnProperty("b")}', 'hasOwnProperty'],
  ])('rejects the method call in %s at parse time', (source, method) => {
    expect(syntaxErrorOf(source).reason).toBe(
      `method '${method}()' is not supported; only size(), length(), isEmpty() and contains(value) may be called`,
    );
  });

  it('rejects top-level function calls', () => {
    expect(syntaxErrorOf('${now()}').reason).toBe("function calls are not supported: 'now()'");
  });

  it('rejects a whitelisted method called with the wrong number of arguments', () => {
    expect(syntaxErrorOf('${list.size(1)}').reason).toBe('size() takes 0 argument(s) but was given 1');
    expect(syntaxErrorOf('${list.contains()}').reason).toBe('contains() takes 1 argument(s) but was given 0');
  });

  it('rejects calling the result of an index', () => {
    expect(syntaxErrorOf("${a['size']()}").reason).toBe("unexpected '('");
  });
});

describe('access to JavaScript internals', () => {
  it.each([
    ['${a.constructor}', 5],
    ['${a.__proto__}', 5],
    ['${a.b.prototype}', 7],
    ["${a['constructor']}", 5],
    ['${constructor}', 3],
  ])('rejects %s at parse time', (source, column) => {
    const error = syntaxErrorOf(source);
    expect(error.reason).toMatch(/^access to '(constructor|__proto__|prototype)' is not allowed$/);
    expect(error.column).toBe(column);
  });

  it('rejects a forbidden name computed at evaluation time', () => {
    expect(() => evaluate('${a[key]}', { a: {}, key: 'constructor' })).toThrow(
      "Error while evaluating expression: ${a[key]}. Cause: Access to 'constructor' is not allowed",
    );
  });

  it('refuses the own __proto__ key of parsed JSON even through a variable key', () => {
    const parsed: unknown = JSON.parse('{"__proto__": {"polluted": true}}');
    expect(() => evaluate('${data[key]}', { data: parsed, key: '__proto__' })).toThrow('is not allowed');
  });

  it('refuses function values, whether a variable or a property', () => {
    expect(() => evaluate('${callback}', { callback: () => 1 })).toThrow(
      'Values of type function are not supported in expressions',
    );
    expect(() => evaluate('${holder.run}', { holder: { run: () => 1 } })).toThrow(
      'Values of type function are not supported in expressions',
    );
  });

  it('refuses class instances other than dates', () => {
    expect(() => evaluate('${cache.size()}', { cache: new Map([['a', 1]]) })).toThrow(
      'Values of type Map are not supported in expressions',
    );
  });

  it('never runs a getter on the data', () => {
    let calls = 0;
    const data = Object.defineProperty({}, 'secret', { get: () => ++calls, enumerable: true });
    expect(evaluate('${data.secret}', { data })).toBeNull();
    expect(calls).toBe(0);
  });
});

describe('limits and immutability', () => {
  it('rejects nesting deep enough to threaten the stack, instead of overflowing it', () => {
    const parens = `\${${'('.repeat(5000)}1${')'.repeat(5000)}}`;
    const negations = `\${${'!'.repeat(5000)}true}`;
    const chain = `\${${Array.from({ length: 5000 }, () => 'a').join(' + ')}}`;
    for (const source of [parens, negations, chain]) {
      expect(syntaxErrorOf(source).reason).toBe('expression nests deeper than 200 levels');
    }
  });

  it('accepts a long but shallow chain of alternatives', () => {
    const source = `\${${Array.from({ length: 150 }, (_, i) => `code == ${i}`).join(' or ')}}`;
    expect(evaluate(source, { code: 149 })).toBe(true);
  });

  it('returns a frozen expression that evaluates the same way every time', () => {
    const expression = parseExpression('Order ${id}');
    expect(Object.isFrozen(expression)).toBe(true);
    expect(Object.isFrozen(expression.parts)).toBe(true);
    expect(expression.source).toBe('Order ${id}');
    const resolve = (id: number) => (name: string) => (name === 'id' ? id : undefined);
    expect(evaluateExpression(expression, resolve(1))).toBe('Order 1');
    expect(evaluateExpression(expression, resolve(2))).toBe('Order 2');
  });
});
