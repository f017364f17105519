/**
 * Multi-instance bodies (`X#multiInstanceBody`), with Camunda's semantics. The body is a scope
 * instance whose children are the inner instances of X; whatever X is, its own behaviour runs in each
 * inner instance, so any activity kind can be the inner activity.
 *
 * Loop variables, all local: `nrOfInstances`, `nrOfActiveInstances`, `nrOfCompletedInstances` on the
 * body; `loopCounter` and the element variable on each inner instance (parallel) or on the body
 * (sequential, overwritten per iteration). Parallel creates every inner instance at once and reads the
 * collection once; sequential starts the next one when the previous one ended and re-reads the
 * collection each time. After each completion the counters move, then `completionCondition` is
 * evaluated (parallel: from the ended inner instance, sequential: from the body); when it holds the
 * remaining inner instances are cancelled and the body is left.
 */
import type { MultiInstanceBody } from '@libs/bpmn';
import { ProcessEngineException } from '../errors';
import type { EngineRun } from './engine-run';
import { evaluateCompiled } from './expressions';
import type { ActivityInstance } from '../state/instance-state';
import { typedValueOf, type TypedValue, type VariableMap } from '../state/typed-value';
import { localVariable, setLocalVariable, visibleVariable } from '../state/variables';
import { createBoundaryTriggers } from './boundary-events';
import { evaluateOnEntry } from './conditional-events';
import type { TokenRunner } from './token-runner';

export const NR_OF_INSTANCES = 'nrOfInstances';
export const NR_OF_ACTIVE_INSTANCES = 'nrOfActiveInstances';
export const NR_OF_COMPLETED_INSTANCES = 'nrOfCompletedInstances';
export const LOOP_COUNTER = 'loopCounter';

const integer = (value: number): TypedValue => ({ type: 'Integer', value });

/** The multi-instance body node `activityId` stands for, if it is one. */
export function multiInstanceBodyNode(run: EngineRun, activityId: string): MultiInstanceBody | undefined {
  const node = run.model.nodes.get(activityId);
  return node?.kind === 'multiInstanceBody' ? node : undefined;
}

/**
 * Runs a fresh body instance: resolves the number of instances (zero: the body is left at once), sets
 * the counters and starts the inner instances.
 * @throws ProcessEngineException with Camunda's ENGINE-020xx texts for a bad count or collection.
 */
export function enterMultiInstanceBody(
  runner: TokenRunner,
  body: ActivityInstance,
  node: MultiInstanceBody,
): void {
  const { run } = runner;
  createBoundaryTriggers(run, body);
  if (!evaluateOnEntry(runner, body)) return;
  const count = numberOfInstances(run, node, body.id);
  if (count === 0) {
    runner.completeScope(body);
    return;
  }
  setLocalVariable(run, body.id, NR_OF_INSTANCES, integer(count));
  setLocalVariable(run, body.id, NR_OF_COMPLETED_INSTANCES, integer(0));
  setLocalVariable(run, body.id, NR_OF_ACTIVE_INSTANCES, integer(node.sequential ? 1 : count));
  const collection = elementCollection(run, node, body.id);
  if (node.sequential) {
    startSequentialInstance(runner, body, node, 0, collection);
    return;
  }
  // Work is a stack: pushed last, run first, so inner instances start in loopCounter order.
  for (let index = count - 1; index >= 0; index--) {
    runner.enterNode(body.id, node.innerActivityId, loopVariables(node, index, collection));
  }
}

/** An inner instance of a body has ended normally; what the body does next is decided by {@link continueAfterInner}. */
export interface InnerCompletion {
  readonly body: ActivityInstance;
  readonly node: MultiInstanceBody;
  readonly conditionHolds: boolean;
}

/**
 * When `scopeInstanceId` is a multi-instance body, counts the completion of one of its inner instances
 * and evaluates the completion condition (parallel: from `endedInstanceId`, the inner instance that is
 * still there; sequential: from the body). `undefined` for any other scope.
 */
export function countInnerCompletion(
  run: EngineRun,
  scopeInstanceId: string,
  endedInstanceId: string,
): InnerCompletion | undefined {
  const found = bodyInstance(run, scopeInstanceId);
  if (found === undefined) return undefined;
  const { body, node } = found;
  addToCounter(run, body.id, NR_OF_COMPLETED_INSTANCES, 1);
  if (!node.sequential) addToCounter(run, body.id, NR_OF_ACTIVE_INSTANCES, -1);
  const from = node.sequential ? body.id : endedInstanceId;
  return { body, node, conditionHolds: completionConditionHolds(run, node, from) };
}

/**
 * After an inner instance ended (and was removed): a holding condition cancels the other inner
 * instances and leaves the body; otherwise a parallel body is left once it has no children left (at
 * quiescence, so inner instances still to be started count), a sequential one starts the next
 * iteration or is left after the last.
 */
export function continueAfterInner(runner: TokenRunner, completion: InnerCompletion): void {
  const { body, node, conditionHolds } = completion;
  const { run } = runner;
  if (conditionHolds) {
    for (const job of run.draft.asyncJobs.ownedBy(body.id)) runner.cancelParked(job);
    for (const child of run.draft.childrenOf(body.id)) runner.cancel(child, 'canceled');
    runner.completeScope(body);
    return;
  }
  if (!node.sequential) {
    runner.checkScope(body.id);
    return;
  }
  const next = counter(run, body.id, LOOP_COUNTER) + 1;
  if (next >= counter(run, body.id, NR_OF_INSTANCES)) {
    runner.completeScope(body);
    return;
  }
  startSequentialInstance(runner, body, node, next, elementCollection(run, node, body.id));
}

function startSequentialInstance(
  runner: TokenRunner,
  body: ActivityInstance,
  node: MultiInstanceBody,
  index: number,
  collection: readonly unknown[] | null,
): void {
  for (const [name, value] of Object.entries(loopVariables(node, index, collection))) {
    setLocalVariable(runner.run, body.id, name, value);
  }
  runner.enterNode(body.id, node.innerActivityId);
}

/** `loopCounter` and, with a collection and element variable, the item at that index. */
export function loopVariables(
  node: MultiInstanceBody,
  index: number,
  collection: readonly unknown[] | null,
): VariableMap {
  const variables: Record<string, TypedValue> = { [LOOP_COUNTER]: integer(index) };
  if (node.elementVariable !== null && collection !== null) {
    variables[node.elementVariable] = typedValueOf(collection[index] ?? null);
  }
  return variables;
}

/** The local integer loop variable `name` of the body (0 when missing, e.g. set away by a client). */
export function counter(run: EngineRun, bodyId: string, name: string): number {
  const value = localVariable(run.draft, bodyId, name)?.value.value;
  return typeof value === 'number' ? value : 0;
}

/** Adds `delta` to the body's local integer loop variable `name`. */
export function addToCounter(run: EngineRun, bodyId: string, name: string, delta: number): void {
  setLocalVariable(run, bodyId, name, integer(counter(run, bodyId, name) + delta));
}

function numberOfInstances(run: EngineRun, node: MultiInstanceBody, fromInstanceId: string): number {
  const count =
    node.loopCardinality !== null
      ? loopCardinality(run, node, fromInstanceId)
      : collectionOf(run, node, fromInstanceId).length;
  if (count < 0) {
    throw new ProcessEngineException(
      `ENGINE-02023 Invalid number of 'instances': must be positive integer value or zero, but was '${count}'.`,
    );
  }
  return count;
}

function loopCardinality(run: EngineRun, node: MultiInstanceBody, fromInstanceId: string): number {
  const expression = node.loopCardinality;
  const value = expression === null ? null : evaluateCompiled(run, expression, fromInstanceId);
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  if (typeof value === 'string') {
    throw new ProcessEngineException(`For input string: "${value}"`);
  }
  throw new ProcessEngineException(
    `ENGINE-02027 Could not resolve expression of type 'loopCardinality'. Expression '${expression?.source ?? ''}' needs to be a number or number String.`,
  );
}

/** The collection items get their element variable from; `null` without an element variable (Camunda reads none then). */
function elementCollection(
  run: EngineRun,
  node: MultiInstanceBody,
  fromInstanceId: string,
): readonly unknown[] | null {
  return node.elementVariable === null || node.collection === null
    ? null
    : collectionOf(run, node, fromInstanceId);
}

function collectionOf(run: EngineRun, node: MultiInstanceBody, fromInstanceId: string): readonly unknown[] {
  const { collection } = node;
  if (collection === null) {
    throw new ProcessEngineException(
      "ENGINE-02026 Couldn't resolve collection expression nor variable reference",
    );
  }
  if (collection.kind === 'expression') {
    const value = evaluateCompiled(run, collection.expression, fromInstanceId);
    if (Array.isArray(value)) return value;
    throw new ProcessEngineException(
      `ENGINE-02024 Expression '${collection.expression.source}' didn't resolve to type 'Collection'.`,
    );
  }
  const value = visibleVariable(run.draft, fromInstanceId, collection.name)?.value.value;
  if (Array.isArray(value)) return value;
  throw new ProcessEngineException(
    `ENGINE-02025 Variable '${collection.name}' is not of the expected type 'Collection'.`,
  );
}

function completionConditionHolds(run: EngineRun, node: MultiInstanceBody, fromInstanceId: string): boolean {
  const condition = node.completionCondition;
  if (condition === null) return false;
  const value = evaluateCompiled(run, condition, fromInstanceId);
  if (typeof value === 'boolean') return value;
  throw new ProcessEngineException(
    `ENGINE-02028 Could not resolve expression of type 'completionCondition'. Expression '${condition.source}' needs to evaluate to a boolean value.`,
  );
}

/**
 * Modification adds one inner instance to the body instance `body` (just instantiated, or existing):
 * a fresh body gets `nrOfInstances = nrOfActiveInstances = 1`, `nrOfCompletedInstances = 0`; an
 * existing parallel body counts one more instance, whose `loopCounter` is the old `nrOfInstances`. No
 * collection is read and no element variable set, as in Camunda. Returns the loop variables local to
 * the new inner instance (sequential: set on the body instead).
 * @throws ProcessEngineException when a sequential body already runs an inner instance.
 */
export function addInnerInstance(
  run: EngineRun,
  body: ActivityInstance,
  node: MultiInstanceBody,
): VariableMap {
  const fresh = localVariable(run.draft, body.id, NR_OF_INSTANCES) === undefined;
  const index = fresh ? 0 : counter(run, body.id, NR_OF_INSTANCES);
  if (node.sequential && !fresh && counter(run, body.id, NR_OF_ACTIVE_INSTANCES) > 0) {
    throw new ProcessEngineException(
      `Concurrent instantiation not possible for activities in scope ${node.id}`,
    );
  }
  setLocalVariable(run, body.id, NR_OF_INSTANCES, integer(index + 1));
  if (fresh) setLocalVariable(run, body.id, NR_OF_COMPLETED_INSTANCES, integer(0));
  const active = node.sequential || fresh ? 1 : counter(run, body.id, NR_OF_ACTIVE_INSTANCES) + 1;
  setLocalVariable(run, body.id, NR_OF_ACTIVE_INSTANCES, integer(active));
  const variables = loopVariables(node, index, null);
  if (!node.sequential) return variables;
  setLocalVariable(run, body.id, LOOP_COUNTER, integer(index));
  return {};
}

/**
 * When `scopeInstanceId` is a multi-instance body, the body with its node: for a start inside it by
 * modification (see {@link addInnerInstance}).
 */
export function bodyInstance(
  run: EngineRun,
  scopeInstanceId: string,
): { readonly body: ActivityInstance; readonly node: MultiInstanceBody } | undefined {
  const body = run.draft.instance(scopeInstanceId);
  const node = body === undefined ? undefined : multiInstanceBodyNode(run, body.activityId);
  return body === undefined || node === undefined ? undefined : { body, node };
}

/**
 * An inner instance (or a transition instance) of the body `scopeInstanceId` is cancelled while the
 * body stays: one active instance less, as Camunda's `destroyInnerInstance` counts.
 */
export function innerInstanceCancelled(run: EngineRun, scopeInstanceId: string): void {
  if (bodyInstance(run, scopeInstanceId) !== undefined) {
    addToCounter(run, scopeInstanceId, NR_OF_ACTIVE_INSTANCES, -1);
  }
}

/**
 * A sequential body that migration cancels (the marker is removed) hands its `loopCounter` and element
 * variable to its inner instance, which keeps them as a parallel inner instance does.
 */
export function handOverLoopVariables(run: EngineRun, bodyId: string): void {
  const found = bodyInstance(run, bodyId);
  if (found === undefined || !found.node.sequential) return;
  const names = [LOOP_COUNTER, found.node.elementVariable].filter((name) => name !== null);
  for (const child of run.draft.childrenOf(bodyId)) {
    for (const name of names) {
      const variable = localVariable(run.draft, bodyId, name);
      if (variable !== undefined) setLocalVariable(run, child.id, name, variable.value);
    }
  }
}
