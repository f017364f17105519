/**
 * Input/output mappings (`camunda:inputOutput`, reference constructs §2):
 * - inputs run when an activity instance is entered, before its behaviour (before a user task is
 *   created, before a sub-process's start event): each value is evaluated in the parent scope and set
 *   as a local variable of the new instance, in declaration order;
 * - outputs run when the instance ends, by completion and by cancellation (Camunda's
 *   `ExecutionEntity.destroy`), unless the operation skips IO mappings: each value is evaluated in the
 *   instance's own scope (its locals still there) and set on the parent with propagation (where the
 *   name exists upwards, else on the process instance).
 *
 * Values: a single `${name}` copies the variable's typed value, as Camunda hands over the object itself
 * (a Long stays a Long); any other expression result is typed as REST input is (`typedValueOf`);
 * an empty parameter is Null. A `camunda:list` / `camunda:map` becomes a `Json` value (array / object
 * in document order): Camunda stores a `java.util.List`/`Map` as a serialized Java `Object`, which this
 * service cannot hold; Json keeps the content and stays readable over REST.
 */
import type { Expression, IoMapping, IoValue } from '@libs/bpmn';
import { assertNever } from '@libs/bpmn';
import { removeActivityInstance, requireParent } from './activity-lifecycle';
import type { EngineRun } from './engine-run';
import { evaluateCompiled } from './expressions';
import type { ActivityEndReason } from '../state/engine-effects';
import type { ActivityInstance } from '../state/instance-state';
import { toJson, typedValueOf, type TypedValue } from '../state/typed-value';
import { applyVariables, setLocalVariable, visibleVariable } from '../state/variables';

/**
 * Sets the input parameters of `instance`'s activity as its local variables.
 * @throws ProcessEngineException when a value cannot be evaluated (e.g. an unknown variable).
 */
export function runInputMappings(run: EngineRun, instance: ActivityInstance): void {
  const mapping = ioMappingOf(run, instance);
  if (mapping === null || mapping.inputs.length === 0) return;
  const parentId = requireParent(instance);
  for (const input of mapping.inputs) {
    setLocalVariable(run, instance.id, input.name, typedValue(run, input.value, parentId));
  }
}

/**
 * Sets the output parameters of `instance`'s activity on its parent scope (with propagation). Call
 * it while the instance and its local variables still exist.
 * @throws ProcessEngineException when a value cannot be evaluated.
 */
export function runOutputMappings(run: EngineRun, instance: ActivityInstance): void {
  const mapping = ioMappingOf(run, instance);
  if (mapping === null || mapping.outputs.length === 0) return;
  const parentId = requireParent(instance);
  for (const output of mapping.outputs) {
    const value = typedValue(run, output.value, instance.id);
    applyVariables(run, parentId, { [output.name]: value }, false);
  }
}

/**
 * Removes an activity instance and its descendants, deepest first, running each one's output
 * mappings just before it goes (Camunda's cancellation, which destroys scopes from the leaves up).
 */
export function removeTreeWithOutputs(
  run: EngineRun,
  instance: ActivityInstance,
  reason: ActivityEndReason,
): void {
  for (const child of run.draft.childrenOf(instance.id)) removeTreeWithOutputs(run, child, reason);
  runOutputMappings(run, instance);
  removeActivityInstance(run, instance, reason);
}

function ioMappingOf(run: EngineRun, instance: ActivityInstance): IoMapping | null {
  if (instance.parentId === null) return null;
  return run.model.nodes.get(instance.activityId)?.ioMapping ?? null;
}

function typedValue(run: EngineRun, value: IoValue, fromInstanceId: string): TypedValue {
  switch (value.kind) {
    case 'null':
      return { type: 'Null', value: null };
    case 'expression':
      return expressionValue(run, value.expression, fromInstanceId);
    case 'list':
    case 'map':
      return { type: 'Json', value: toJson(plainValue(run, value, fromInstanceId)) };
    default:
      return assertNever(value);
  }
}

/**
 * The typed value of an expression evaluated from `fromInstanceId`: exactly `${name}` copies the
 * variable's typed value, anything else is typed as REST input is.
 * @throws ProcessEngineException when the expression cannot be evaluated.
 */
export function expressionValue(run: EngineRun, expression: Expression, fromInstanceId: string): TypedValue {
  const name = singleVariableName(expression);
  const variable = name === null ? undefined : visibleVariable(run.draft, fromInstanceId, name);
  if (variable !== undefined) return variable.value;
  return typedValueOf(evaluateCompiled(run, expression, fromInstanceId));
}

function plainValue(run: EngineRun, value: IoValue, fromInstanceId: string): unknown {
  switch (value.kind) {
    case 'null':
      return null;
    case 'expression':
      return evaluateCompiled(run, value.expression, fromInstanceId);
    case 'list':
      return value.items.map((item) => plainValue(run, item, fromInstanceId));
    case 'map': {
      // No prototype: a key like `__proto__` stays an ordinary entry.
      const entries: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const entry of value.entries) entries[entry.key] = plainValue(run, entry.value, fromInstanceId);
      return entries;
    }
    default:
      return assertNever(value);
  }
}

/** The variable name of an expression that is exactly `${name}`, else `null`. */
function singleVariableName(expression: Expression): string | null {
  const [part, ...rest] = expression.parts;
  if (part === undefined || rest.length > 0 || part.kind !== 'eval') return null;
  return part.node.kind === 'identifier' ? part.node.name : null;
}
