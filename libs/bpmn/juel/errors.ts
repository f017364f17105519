/**
 * Thrown by `parseExpression` when the text is not a valid expression, so a deployment carrying it can
 * be refused. `column` is 1-based and counts from the start of the whole text, `${` included.
 */
export class ExpressionSyntaxError extends Error {
  constructor(
    /** What is wrong, without the position. */
    readonly reason: string,
    /** 1-based column in `source` where the problem was found. */
    readonly column: number,
    /** The whole text that was being parsed. */
    readonly source: string,
  ) {
    super(`Syntax error in expression '${source}' at column ${column}: ${reason}`);
    this.name = new.target.name;
  }
}

/**
 * Thrown while evaluating a parsed expression: unknown variable, operands of the wrong type, a method
 * applied to a value that lacks it, a non-boolean condition. The message follows Camunda's wording
 * (`Unknown property used in expression: …` / `Error while evaluating expression: …`).
 */
export class ExpressionEvaluationError extends Error {
  constructor(
    message: string,
    /** The expression named a variable that does not exist (Camunda's `PropertyNotFoundException`). */
    readonly unknownProperty = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Internal: raised deep inside evaluation, where the expression text is not at hand; the public entry
 * points catch it and rethrow an `ExpressionEvaluationError` that names the expression.
 */
export class EvaluationFailure extends Error {
  constructor(
    readonly detail: string,
    /** True when a top-level identifier could not be resolved (Camunda reports those differently). */
    readonly unknownIdentifier = false,
  ) {
    super(detail);
  }
}
