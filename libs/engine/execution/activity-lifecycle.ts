/**
 * Creating and removing activity instances, with everything attached to them: tasks, external tasks,
 * subscriptions, timer jobs (including the host's boundary-event triggers) and local variables.
 */
import { throwsCompensation, type FlowNode } from '@libs/bpmn';
import { activityTypeOf } from './activity-types';
import { removeParkedTokens } from './async-continuations';
import type { ActivityEndReason } from '../state/engine-effects';
import type { EngineRun } from './engine-run';
import type { ActivityInstance } from '../state/instance-state';

/** Creates an instance of `node` inside `parentId` and records its start. */
export function createActivityInstance(run: EngineRun, parentId: string, node: FlowNode): ActivityInstance {
  const id = run.newActivityInstanceId(node.id);
  const instance: ActivityInstance = {
    id,
    parentId,
    activityId: node.id,
    activityType: activityTypeOf(node),
    executionId: run.newId(),
    startTime: run.now,
  };
  run.draft.activityInstances.add(instance);
  run.emit({
    type: 'activityStarted',
    activityInstanceId: id,
    parentActivityInstanceId: parentId,
    activityId: instance.activityId,
    activityType: instance.activityType,
    executionId: instance.executionId,
    time: run.now,
  });
  return instance;
}

/**
 * Removes one activity instance that has no children left, deleting what is attached to it, and
 * records its end. Not for the root: the process instance's end keeps its variables (see `endProcess`).
 */
export function removeActivityInstance(
  run: EngineRun,
  instance: ActivityInstance,
  reason: ActivityEndReason,
): void {
  detachAll(run, instance.id);
  cancelCompensationFor(run, instance);
  run.draft.activityInstances.remove(instance.id);
  run.emit({
    type: 'activityEnded',
    activityInstanceId: instance.id,
    activityId: instance.activityId,
    activityType: instance.activityType,
    endReason: reason,
    time: run.now,
  });
}

/** Removes an activity instance and all its descendants, deepest first, each ending with `reason`. */
export function removeActivityTree(
  run: EngineRun,
  instance: ActivityInstance,
  reason: ActivityEndReason,
): void {
  for (const child of run.draft.childrenOf(instance.id)) removeActivityTree(run, child, reason);
  removeActivityInstance(run, instance, reason);
}

/**
 * Deletes the tasks, external tasks, subscriptions, jobs, parked tokens (asynchronous continuations
 * waiting in this scope) and local variables owned by an instance.
 */
function detachAll(run: EngineRun, activityInstanceId: string): void {
  const { draft } = run;
  for (const task of draft.tasks.removeOwnedBy(activityInstanceId)) {
    run.emit({ type: 'taskEnded', taskId: task.id, reason: 'deleted', time: run.now });
  }
  for (const task of draft.externalTasks.removeOwnedBy(activityInstanceId)) {
    run.emit({ type: 'externalTaskEnded', externalTaskId: task.id, reason: 'deleted', time: run.now });
  }
  draft.subscriptions.removeOwnedBy(activityInstanceId);
  for (const job of draft.jobs.removeOwnedBy(activityInstanceId)) {
    run.emit({ type: 'timerCancelled', jobId: job.id });
  }
  removeParkedTokens(run, activityInstanceId);
  draft.variables.removeOwnedBy(activityInstanceId);
  discardEventScopes(run, activityInstanceId);
}

/**
 * Deletes the event scopes (snapshots of completed scopes kept for compensation) owned by `ownerId`,
 * an ending activity instance or event scope, with their variables, subscriptions and nested ones.
 */
export function discardEventScopes(run: EngineRun, ownerId: string): void {
  const { draft } = run;
  for (const eventScope of draft.eventScopes.removeOwnedBy(ownerId)) {
    discardEventScopes(run, eventScope.id);
    draft.subscriptions.removeOwnedBy(eventScope.id);
    draft.variables.removeOwnedBy(eventScope.id);
  }
}

/**
 * A compensation throw that goes before its compensation ended (cancelled, its scope interrupted) takes
 * the instances compensation started for it along, as Camunda's compensating executions are children
 * of the throw's execution.
 */
function cancelCompensationFor(run: EngineRun, thrower: ActivityInstance): void {
  if (!throwsCompensation(run.model.nodes.get(thrower.activityId))) return;
  for (const instance of [...run.draft.activityInstances.values()]) {
    if (instance.compensationThrowId === thrower.id && run.draft.instance(instance.id) !== undefined) {
      removeActivityTree(run, instance, 'canceled');
    }
  }
}

/** The scope instance id of a non-root activity instance. */
export function requireParent(instance: ActivityInstance): string {
  if (instance.parentId === null) throw new Error(`The root activity instance '${instance.id}' has no scope`);
  return instance.parentId;
}
