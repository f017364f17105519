/**
 * Conditional events (reference constructs §5.7, Camunda's `ConditionalEventBehavior`s). A conditional
 * boundary event, event sub-process start event or intermediate catch event waits on a `conditional`
 * subscription (no event name) owned like a message subscription. Its condition is evaluated:
 * - when its scope is entered (`evaluateOnEntry`): a boundary event's host or an event sub-process's
 *   scope whose condition already holds fires at once (interrupting: the scope's own behaviour does not
 *   run); an intermediate catch event whose condition holds passes through without waiting (see
 *   `node-behaviors.ts`), and after an event-based gateway the first true condition takes its branch;
 * - on every variable change (`dispatchVariableEvents`): every recorded change (`EngineRun.variableEvents`,
 *   filled by `variables.ts`, the one place variables change) is offered, one by one, to the
 *   subscriptions of the scope instance the variable lives on and of every instance below it, top-down
 *   in tree order; `camunda:variableName` and `camunda:variableEvents` filter which changes count.
 *   Each subscription still alive fires when its condition holds; a non-interrupting one stays and can
 *   fire again for the next change. Changes made while a trigger runs are dispatched after it.
 * A condition that names an unknown variable is false (Camunda's `tryEvaluate`). Models without
 * conditional events record no changes, so none of this costs anything there.
 */
import type { ConditionalTrigger, FlowNode } from '@libs/bpmn';
import { fireBoundaryEvent } from './boundary-events';
import type { EngineRun, VariableEvent } from './engine-run';
import { SuspendedEntityInteractionException } from '../errors';
import { fireEventTrigger } from './event-triggers';
import { eventSubProcessStartedBy } from './event-sub-processes';
import { tryConditionFrom, tryConditionWith } from './expressions';
import { plainValueOf, type VariableMap } from '../state/typed-value';
import type { ActivityInstance, EventSubscription } from '../state/instance-state';
import type { TokenRunner } from './token-runner';

/** The conditional trigger of the event `activityId`, or `undefined` when it has none. */
export function conditionalTriggerOf(run: EngineRun, activityId: string): ConditionalTrigger | undefined {
  const node = run.model.nodes.get(activityId);
  if (
    node?.kind !== 'boundaryEvent' &&
    node?.kind !== 'intermediateCatchEvent' &&
    node?.kind !== 'startEvent'
  ) {
    return undefined;
  }
  return node.trigger?.type === 'conditional' ? node.trigger : undefined;
}

/** Whether `trigger`'s condition holds from `fromInstanceId` (an unknown variable: false). */
export function conditionHolds(run: EngineRun, trigger: ConditionalTrigger, fromInstanceId: string): boolean {
  return tryConditionFrom(run, trigger.condition, fromInstanceId);
}

/**
 * Whether a process-level conditional start event fires for the variables of a `POST /condition`
 * (Camunda's `DefaultConditionHandler.evaluateCondition`): never when its `camunda:variableName` is
 * not among them; otherwise its condition over these variables alone (an unknown one: false).
 */
export function startConditionHolds(trigger: ConditionalTrigger, variables: VariableMap): boolean {
  if (trigger.variableName !== null && !(trigger.variableName in variables)) return false;
  return tryConditionWith(trigger.condition, (name) => {
    const value = variables[name];
    return value === undefined ? undefined : plainValueOf(value);
  });
}

/**
 * Before the behaviour of the fresh `instance` of `node` runs: an interrupting conditional boundary
 * event whose condition already holds fires instead, so the activity never does its work (no task is
 * created), as Camunda evaluates a scope's conditions before executing it. Returns whether the
 * behaviour runs. Non-interrupting boundary events are evaluated once their subscriptions exist
 * ({@link evaluateOnEntry}).
 */
export function passesEntryConditions(
  runner: TokenRunner,
  instance: ActivityInstance,
  node: FlowNode,
): boolean {
  const { run } = runner;
  if (!run.conditional) return true;
  for (const eventId of run.model.boundaryEventsOf.get(node.id) ?? []) {
    const event = run.model.nodes.get(eventId);
    if (event?.kind !== 'boundaryEvent' || !event.interrupting || event.trigger.type !== 'conditional')
      continue;
    if (!conditionHolds(run, event.trigger, instance.id)) continue;
    fireBoundaryEvent(runner, instance, event, { kind: 'subscription' });
    return false;
  }
  return true;
}

/**
 * Evaluates the conditional subscriptions `scopeInstance` owns (its boundary events', its event
 * sub-processes' start events', an event-based gateway's events') right after it was entered, firing
 * those whose condition holds. Returns whether the scope goes on with its own behaviour: false once it
 * ended (an interrupting boundary event, a gateway's event) or an interrupting event sub-process took
 * it over.
 */
export function evaluateOnEntry(runner: TokenRunner, scopeInstance: ActivityInstance): boolean {
  const { run } = runner;
  if (!run.conditional) return true;
  for (const subscription of run.draft.subscriptions.ownedBy(scopeInstance.id)) {
    // A waiting intermediate event owns its own subscription; it evaluated itself on arrival.
    if (subscription.type !== 'conditional' || subscription.activityId === scopeInstance.activityId) continue;
    if (!fireIfSatisfied(runner, subscription, undefined)) continue;
    if (run.draft.instance(scopeInstance.id) === undefined) return false;
    const fired = run.node(subscription.activityId);
    const interruptingStart = fired.kind === 'startEvent' && fired.interrupting;
    if (interruptingStart && eventSubProcessStartedBy(run, fired) !== undefined) return false;
  }
  return true;
}

/**
 * Offers every recorded variable change, oldest first, to the conditional subscriptions that see it
 * (see the module comment). Changes recorded meanwhile are offered too, after the earlier ones.
 * @throws SuspendedEntityInteractionException when a condition holds in a suspended instance.
 */
export function dispatchVariableEvents(runner: TokenRunner): void {
  const pending = runner.run.variableEvents;
  for (let event = pending.shift(); event !== undefined; event = pending.shift()) {
    dispatch(runner, event);
  }
}

/**
 * Drops the recorded changes of variables on `scopeInstanceId`, an instance being entered: its input
 * mappings and local variables are seen by its conditions on entry, not offered again (Camunda drops
 * the events of a scope that is still starting).
 */
export function forgetEnteringScopeEvents(run: EngineRun, scopeInstanceId: string): void {
  const pending = run.variableEvents;
  for (let index = pending.length - 1; index >= 0; index--) {
    if (pending[index]!.scopeId === scopeInstanceId) pending.splice(index, 1);
  }
}

function dispatch(runner: TokenRunner, event: VariableEvent): void {
  const { draft } = runner.run;
  const scope = draft.instance(event.scopeId);
  if (scope === undefined) return;
  for (const subscription of subscriptionsBelow(runner.run, scope)) {
    fireIfSatisfied(runner, subscription, event);
  }
}

/** The conditional subscriptions of `scope` and every instance below it, top-down in tree order. */
function subscriptionsBelow(run: EngineRun, scope: ActivityInstance): EventSubscription[] {
  const found: EventSubscription[] = [];
  const visit = (instance: ActivityInstance) => {
    for (const subscription of run.draft.subscriptions.ownedBy(instance.id)) {
      if (subscription.type === 'conditional') found.push(subscription);
    }
    for (const child of run.draft.childrenOf(instance.id)) visit(child);
  };
  visit(scope);
  return found;
}

/**
 * Fires `subscription` when it still exists, `event` (none: on entry) passes its filters and its
 * condition holds from its owner. Returns whether it fired.
 */
function fireIfSatisfied(
  runner: TokenRunner,
  subscription: EventSubscription,
  event: VariableEvent | undefined,
): boolean {
  const { run } = runner;
  if (run.draft.subscriptions.get(subscription.id) === undefined) return false;
  const owner = run.draft.instance(subscription.activityInstanceId);
  const trigger = conditionalTriggerOf(run, subscription.activityId);
  if (owner === undefined || trigger === undefined) return false;
  if (event !== undefined && !passesFilters(trigger, event)) return false;
  if (!conditionHolds(run, trigger, owner.id)) return false;
  if (run.draft.header.suspended) {
    throw new SuspendedEntityInteractionException(
      `ENGINE-03043 ProcessInstance with id '${run.draft.header.id}' is suspended.`,
    );
  }
  fireEventTrigger(runner, owner, { kind: 'subscription', record: subscription });
  return true;
}

/** `camunda:variableName` and `camunda:variableEvents` (Camunda's `shouldEvaluateForVariableEvent`). */
function passesFilters(trigger: ConditionalTrigger, event: VariableEvent): boolean {
  return (
    (trigger.variableName === null || trigger.variableName === event.name) &&
    (trigger.variableEvents.length === 0 || trigger.variableEvents.includes(event.event))
  );
}
