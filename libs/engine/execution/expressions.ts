/**
 * Evaluation of `${…}` texts from the model (conditions, assignees, timer values, message names)
 * against the variables visible from an activity instance. Parsed expressions are cached per model.
 */
import {
  evaluateCondition,
  evaluateExpression,
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  parseExpression,
  type Expression,
  type ProcessModel,
} from '@libs/bpmn';
import type { EngineRun } from './engine-run';
import { ProcessEngineException } from '../errors';
import { variableResolver } from '../state/variables';

const parsedByModel = new WeakMap<ProcessModel, Map<string, Expression>>();

/**
 * Evaluates model text: a single `${…}` yields the raw value, literal text yields itself, composite
 * text yields a string. Variables resolve from `fromInstanceId` up to the root.
 * @throws ProcessEngineException carrying Camunda's expression error message.
 */
export function evaluateText(run: EngineRun, source: string, fromInstanceId: string): unknown {
  const expression = compiled(run.model, source);
  return guarded(() => evaluateExpression(expression, variableResolver(run.draft, fromInstanceId)));
}

/**
 * Evaluates a compiled expression (e.g. an input/output parameter) from `fromInstanceId`, as
 * {@link evaluateText} does.
 * @throws ProcessEngineException carrying Camunda's expression error message.
 */
export function evaluateCompiled(run: EngineRun, expression: Expression, fromInstanceId: string): unknown {
  return guarded(() => evaluateExpression(expression, variableResolver(run.draft, fromInstanceId)));
}

/**
 * Evaluates a compiled expression against variables resolved by `resolve` (e.g. those of another
 * instance), with the error handling of {@link evaluateText}.
 */
export function evaluateCompiledWith(expression: Expression, resolve: (name: string) => unknown): unknown {
  return guarded(() => evaluateExpression(expression, resolve));
}

/**
 * Evaluates a compiled condition (e.g. of a sequence flow) from `fromInstanceId`.
 * @throws ProcessEngineException when a variable is unknown or the result is not a boolean.
 */
export function evaluateConditionFrom(
  run: EngineRun,
  condition: Expression,
  fromInstanceId: string,
): boolean {
  return guarded(() => evaluateCondition(condition, variableResolver(run.draft, fromInstanceId)));
}

/**
 * A condition that counts as false when it names an unknown variable (Camunda's `tryEvaluate`, used
 * by conditional events); other evaluation errors throw as in {@link evaluateConditionFrom}.
 */
export function tryConditionFrom(run: EngineRun, condition: Expression, fromInstanceId: string): boolean {
  return tryConditionWith(condition, variableResolver(run.draft, fromInstanceId));
}

/** {@link tryConditionFrom} against variables resolved by `resolve` (e.g. those of a request). */
export function tryConditionWith(condition: Expression, resolve: (name: string) => unknown): boolean {
  try {
    return evaluateCondition(condition, resolve);
  } catch (error) {
    if (error instanceof ExpressionEvaluationError && error.unknownProperty) return false;
    return guarded(() => {
      throw error;
    });
  }
}

function compiled(model: ProcessModel, source: string): Expression {
  let cache = parsedByModel.get(model);
  if (cache === undefined) {
    cache = new Map();
    parsedByModel.set(model, cache);
  }
  let expression = cache.get(source);
  if (expression === undefined) {
    expression = guarded(() => parseExpression(source));
    cache.set(source, expression);
  }
  return expression;
}

function guarded<T>(evaluate: () => T): T {
  try {
    return evaluate();
  } catch (error) {
    if (error instanceof ExpressionEvaluationError || error instanceof ExpressionSyntaxError) {
      throw new ProcessEngineException(error.message, { cause: error });
    }
    throw error;
  }
}
