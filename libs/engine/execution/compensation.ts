/**
 * Compensation, as Camunda 7 runs it (`CompensationUtil`, `CompensationEventActivityBehavior`,
 * `CompensationEventHandler`):
 * - an activity with a compensation handler that completes leaves a `compensate` subscription (its
 *   handler) in the scope instance it completed in;
 * - a sub-process or multi-instance body that completes with such subscriptions (or with a compensation
 *   event sub-process) leaves an {@link EventScope}: its local variables and subscriptions move there,
 *   and its scope instance gets one subscription referencing it;
 * - a compensation throw collects the subscriptions of its scope instance (through event sub-processes,
 *   which do not consume compensation, up to their parent), or only those of `activityRef`, and
 *   triggers them newest first: a handler starts in the scope instance of the activity it compensates;
 *   an event scope is re-entered as an activity instance of its sub-process / body again (in the tree,
 *   where the compensated activity was), and compensates its own subscriptions or starts its
 *   compensation event sub-process. The throw waits (an activity instance) until every instance
 *   compensation started for it has ended, then passes on; with nothing to compensate it passes at once.
 */
import {
  compensationHandlerOf,
  compensationSubscriptionActivityId,
  isCompensationEventSubProcess,
  throwsCompensation,
  type FlowNode,
} from '@libs/bpmn';
import { createActivityInstance, removeActivityInstance, requireParent } from './activity-lifecycle';
import type { EngineRun } from './engine-run';
import { flowsLeavingActivity } from './flow-selection';
import type { ActivityInstance, EventSubscription } from '../state/instance-state';
import type { TokenRunner } from './token-runner';
import { leaveCancelEnd } from './transactions';

/**
 * Called while `instance` completes normally in `scopeInstanceId` (before it is removed): records what
 * a later compensation needs, as Camunda's `doLeave` does.
 */
export function recordCompensable(run: EngineRun, instance: ActivityInstance, node: FlowNode): void {
  const scopeInstanceId = requireParent(instance);
  const handlerId = compensationHandlerOf(run.model, node);
  if (node.kind === 'subProcess' || node.kind === 'multiInstanceBody') {
    createEventScope(run, instance, node, scopeInstanceId, handlerId);
  }
  const handler = handlerId === null ? undefined : run.model.nodes.get(handlerId);
  if (handler !== undefined && !isCompensationEventSubProcess(run.model, handler)) {
    addSubscription(run, scopeInstanceId, handler.id, null);
  }
}

/** The snapshot of a completing scope that has something to compensate (see the module comment). */
function createEventScope(
  run: EngineRun,
  instance: ActivityInstance,
  node: FlowNode,
  scopeInstanceId: string,
  handlerId: string | null,
): void {
  const { draft } = run;
  const subscriptions = draft.subscriptions.ownedBy(instance.id).filter((s) => s.type === 'compensate');
  const handler = handlerId === null ? undefined : run.model.nodes.get(handlerId);
  const withEventSubProcess = handler !== undefined && isCompensationEventSubProcess(run.model, handler);
  if (subscriptions.length === 0 && !withEventSubProcess) return;
  const eventScope = { id: run.newId(), parentId: scopeInstanceId, activityId: node.id, created: run.now };
  draft.eventScopes.add(eventScope);
  // The instance's locals go with the snapshot (they would be deleted with the instance otherwise).
  for (const variable of draft.variables.ownedBy(instance.id)) {
    draft.variables.add({ ...variable, scopeId: eventScope.id });
  }
  for (const subscription of subscriptions) {
    draft.subscriptions.add({
      ...subscription,
      activityInstanceId: eventScope.id,
      executionId: eventScope.id,
    });
  }
  for (const child of draft.eventScopes.ownedBy(instance.id)) {
    draft.eventScopes.add({ ...child, parentId: eventScope.id });
  }
  addSubscription(run, scopeInstanceId, withEventSubProcess ? handler.id : node.id, eventScope.id);
}

function addSubscription(
  run: EngineRun,
  ownerId: string,
  activityId: string,
  configuration: string | null,
): void {
  const owner = run.draft.instance(ownerId);
  run.draft.subscriptions.add({
    id: run.newId(),
    type: 'compensate',
    eventName: null,
    activityId,
    activityInstanceId: ownerId,
    executionId: owner?.executionId ?? ownerId,
    created: run.now,
    configuration,
  });
}

/**
 * The compensate subscriptions a throw in `scopeInstanceId` triggers: those of its scope instance and,
 * from inside an event sub-process, of the enclosing scope instances up to the first that is not one;
 * with `activityRef`, only those of that activity.
 */
export function subscriptionsToCompensate(
  run: EngineRun,
  scopeInstanceId: string,
  activityRef: string | null,
): EventSubscription[] {
  const found: EventSubscription[] = [];
  for (const scope of run.draft.ancestry(scopeInstanceId)) {
    found.push(...run.draft.subscriptions.ownedBy(scope.id).filter((s) => s.type === 'compensate'));
    const node = run.model.nodes.get(scope.activityId);
    if (node?.kind !== 'subProcess' || !node.triggeredByEvent) break;
  }
  if (activityRef === null) return found;
  const activityId = compensationSubscriptionActivityId(run.model, activityRef);
  return found.filter((subscription) => subscription.activityId === activityId);
}

/**
 * The behaviour of a compensation throw (intermediate or end event) whose instance is `thrower`:
 * triggers what it compensates, newest first, and passes on once all of it ended (at once if nothing).
 */
export function throwCompensation(
  runner: TokenRunner,
  thrower: ActivityInstance,
  activityRef: string | null,
): void {
  const subscriptions = subscriptionsToCompensate(runner.run, requireParent(thrower), activityRef);
  if (subscriptions.length === 0) {
    leaveThrow(runner, thrower);
    return;
  }
  triggerAll(runner, subscriptions, thrower.id);
}

/**
 * Schedules triggering `subscriptions` for the throw `throwId`: the runner's work is a stack, so the
 * oldest goes on first and the newest runs first.
 */
function triggerAll(runner: TokenRunner, subscriptions: readonly EventSubscription[], throwId: string): void {
  const oldestFirst = subscriptions
    .map((subscription, order) => ({ subscription, order }))
    .sort((a, b) => a.subscription.created.getTime() - b.subscription.created.getTime() || a.order - b.order);
  for (const { subscription } of oldestFirst) {
    runner.schedule(subscription.activityInstanceId, () => trigger(runner, subscription, throwId));
  }
  runner.checkScope(throwId);
}

/** Triggers one subscription (Camunda's `CompensationEventHandler`). */
function trigger(runner: TokenRunner, subscription: EventSubscription, throwId: string): void {
  const { run } = runner;
  if (run.draft.subscriptions.remove(subscription.id) === undefined) return;
  const handler = run.node(subscription.activityId);
  const eventScope =
    subscription.configuration === null || subscription.configuration === undefined
      ? undefined
      : run.draft.eventScopes.get(subscription.configuration);
  if (eventScope === undefined) {
    runner.enterCompensationHandler(subscription.activityInstanceId, handler.id, throwId);
    return;
  }
  const scope = reenterEventScope(run, eventScope.id, subscription.activityInstanceId, throwId);
  if (handler.id === eventScope.activityId) {
    const inner = run.draft.subscriptions.ownedBy(scope.id).filter((s) => s.type === 'compensate');
    triggerAll(runner, inner, throwId);
    runner.checkScope(scope.id);
  } else {
    // The compensation event sub-process of the sub-process.
    runner.enterNode(scope.id, handler.id);
  }
}

/**
 * Makes the event scope `eventScopeId` an activity instance of its sub-process / body again, under
 * `parentId`, working for the throw `throwId`: its variables and subscriptions move onto the new
 * instance, its nested event scopes under it.
 */
function reenterEventScope(
  run: EngineRun,
  eventScopeId: string,
  parentId: string,
  throwId: string,
): ActivityInstance {
  const { draft } = run;
  const eventScope = draft.eventScopes.remove(eventScopeId)!;
  const node = run.node(eventScope.activityId);
  const created = createActivityInstance(run, parentId, node);
  const instance: ActivityInstance = { ...created, compensationThrowId: throwId };
  draft.activityInstances.add(instance);
  for (const variable of draft.variables.removeOwnedBy(eventScope.id)) {
    draft.variables.add({ ...variable, scopeId: instance.id });
  }
  for (const subscription of draft.subscriptions.removeOwnedBy(eventScope.id)) {
    draft.subscriptions.add({
      ...subscription,
      activityInstanceId: instance.id,
      executionId: instance.executionId,
    });
  }
  for (const child of draft.eventScopes.removeOwnedBy(eventScope.id)) {
    draft.eventScopes.add({ ...child, parentId: instance.id });
  }
  return instance;
}

/**
 * An instance compensation started (`compensationThrowId` set) has completed: it ends without taking
 * flows; the re-entered scope around it and its throw are checked at quiescence.
 */
export function endCompensationInstance(runner: TokenRunner, instance: ActivityInstance): void {
  const throwId = instance.compensationThrowId!;
  removeActivityInstance(runner.run, instance, 'completed');
  const parent = instance.parentId === null ? undefined : runner.run.draft.instance(instance.parentId);
  if (parent?.compensationThrowId !== undefined && parent.compensationThrowId !== null) {
    runner.checkScope(parent.id);
  }
  runner.checkScope(throwId);
}

/** True for an instance of a compensation throw event or of a cancel end event. */
export function isCompensationThrow(run: EngineRun, instance: ActivityInstance): boolean {
  return throwsCompensation(run.model.nodes.get(instance.activityId));
}

/** Whether an instance compensation started for the throw `throwId` is still running. */
export function compensationRunning(run: EngineRun, throwId: string): boolean {
  for (const instance of run.draft.activityInstances.values()) {
    if (instance.compensationThrowId === throwId) return true;
  }
  return false;
}

/**
 * A compensation throw whose compensation has ended passes on (an end event ends its token; a cancel
 * end event leaves through its transaction's cancel boundary event).
 */
export function leaveThrow(runner: TokenRunner, thrower: ActivityInstance): void {
  const node = runner.run.node(thrower.activityId);
  if (node.kind === 'endEvent' && node.result.type === 'cancel') {
    leaveCancelEnd(runner, thrower);
    return;
  }
  runner.leave(thrower, node.kind === 'endEvent' ? [] : flowsLeavingActivity(runner.run, node, thrower.id));
}
