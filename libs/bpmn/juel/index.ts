/**
 * A small, safe JUEL-style expression language for BPMN: sequence-flow conditions (`${amount > 100}`)
 * and text attributes (`camunda:assignee="${initiator}"`). Pure: no I/O, no `eval`, no `Function`;
 * expressions only read variables and plain data, and may call only `size()`, `length()`, `isEmpty()`
 * and `contains(x)`.
 */
import { type Expression, type ExpressionPart } from './ast';
import { describe, typeName } from './coercion';
import { EvaluationFailure, ExpressionEvaluationError } from './errors';
import { evaluateParts, type Resolver } from './evaluator';
import { parseTemplate } from './parser';

export type { Expression } from './ast';
export { ExpressionEvaluationError, ExpressionSyntaxError } from './errors';

/**
 * Parses text that is either a single `${...}` / `#{...}` expression, a literal text, or a composite
 * like `Hello ${name}!`. `\${` stands for a literal `${`. The result is frozen and can be cached.
 * @throws ExpressionSyntaxError when any `${…}` is unterminated or malformed, naming the column.
 */
export function parseExpression(source: string): Expression {
  return parseTemplate(source);
}

/**
 * Evaluates an expression. `resolve(name)` returns the variable value, or `undefined` when there is no
 * such variable. A pure `${...}` returns the raw value (the variable's own object, not a copy);
 * literal and composite text return a string, with null as `''`, dates as ISO-8601 and JSON as JSON.
 * @throws ExpressionEvaluationError for an unknown variable (Camunda's `Unknown property used in
 * expression: … Cause: Cannot resolve identifier 'x'`), operands of the wrong type, and the like.
 */
export function evaluateExpression(expression: Expression, resolve: (name: string) => unknown): unknown {
  return evaluateGuarded(expression, expression.parts, resolve);
}

/**
 * Evaluates a condition; the result must be a boolean (no truthiness: `${count}` is an error).
 * Blank text around the expression is ignored, as Camunda trims a condition body before parsing.
 * @throws ExpressionEvaluationError as `evaluateExpression`, and when the result is not a boolean.
 */
export function evaluateCondition(expression: Expression, resolve: (name: string) => unknown): boolean {
  const parts = trimBlankText(expression.parts);
  const result = evaluateGuarded(expression, parts, resolve);
  if (typeof result !== 'boolean') {
    throw new ExpressionEvaluationError(
      `Condition expression ${expression.source} returns non-Boolean: ${describe(result)} (${typeName(result)})`,
    );
  }
  return result;
}

function evaluateGuarded(expression: Expression, parts: readonly ExpressionPart[], resolve: Resolver) {
  try {
    return evaluateParts(parts, resolve);
  } catch (error) {
    if (!(error instanceof EvaluationFailure)) throw error;
    const what = error.unknownIdentifier
      ? 'Unknown property used in expression'
      : 'Error while evaluating expression';
    throw new ExpressionEvaluationError(
      `${what}: ${expression.source}. Cause: ${error.detail}`,
      error.unknownIdentifier,
    );
  }
}

function trimBlankText(parts: readonly ExpressionPart[]): readonly ExpressionPart[] {
  const isBlank = (part: ExpressionPart | undefined) => part?.kind === 'text' && part.text.trim() === '';
  const start = isBlank(parts[0]) ? 1 : 0;
  const end = isBlank(parts[parts.length - 1]) && parts.length > start ? parts.length - 1 : parts.length;
  return parts.slice(start, end);
}
