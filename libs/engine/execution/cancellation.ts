/**
 * Cancelling activity and transition instances with Camunda's propagation (reference §11.4): instead
 * of leaving an empty scope behind, the topmost ancestor scope that would be left without children
 * (activity or transition instances) is cancelled. When the root runs out of children this way, the
 * process instance is cancelled (EXTERNALLY_TERMINATED), or, in a session that preserves the root,
 * decided at the end.
 */
import { requireParent } from './activity-lifecycle';
import { findParkedToken } from './async-continuations';
import { innerInstanceCancelled } from './multi-instance';
import type { EngineRun } from './engine-run';
import { NotValidException } from '../errors';
import type { ActivityInstance } from '../state/instance-state';
import type { TokenRunner } from './token-runner';

/**
 * Cancels the activity instance `activityInstanceId` (a leaf or a scope; the root cancels everything),
 * running the output mappings of what it ends unless `skipIoMappings`.
 * @throws NotValidException when no such activity instance is active.
 */
export function cancelWithPropagation(
  runner: TokenRunner,
  activityInstanceId: string,
  skipIoMappings = false,
): void {
  const { draft } = runner.run;
  const instance = draft.instance(activityInstanceId);
  if (instance === undefined) {
    throw new NotValidException(
      `Activity instance '${activityInstanceId}' does not exist: activityInstance is null`,
    );
  }
  if (instance.parentId === null) {
    for (const child of draft.childrenOf(instance.id)) runner.cancel(child, 'canceled', skipIoMappings);
    for (const job of draft.asyncJobs.ownedBy(instance.id)) runner.cancelParked(job);
    runner.rootEmptiedByCancellation();
    return;
  }
  const target = topmostEmptiedAncestor(runner.run, instance);
  innerInstanceCancelled(runner.run, requireParent(target));
  runner.cancel(target, 'canceled', skipIoMappings);
  settleRootAfterCancellation(runner);
}

/**
 * Cancels the transition instance `transitionInstanceId` (a pending asynchronous continuation): its
 * job is deleted without running, and the async activity's output mappings do not run. A scope it
 * leaves empty is cancelled as for an activity instance (with that scope's output mappings unless
 * `skipIoMappings`).
 * @throws NotValidException when no such transition instance exists.
 */
export function cancelTransitionInstance(
  runner: TokenRunner,
  transitionInstanceId: string,
  skipIoMappings = false,
): void {
  const { run } = runner;
  const job = findParkedToken(run, transitionInstanceId);
  if (job === undefined) {
    throw new NotValidException(
      `Transition instance '${transitionInstanceId}' does not exist: transitionInstance is null`,
    );
  }
  const scope = run.draft.instance(job.activityInstanceId);
  if (scope !== undefined && scope.parentId !== null && childCount(run, scope.id) === 1) {
    const target = topmostEmptiedAncestor(run, scope);
    innerInstanceCancelled(run, requireParent(target));
    runner.cancel(target, 'canceled', skipIoMappings);
  } else {
    innerInstanceCancelled(run, job.activityInstanceId);
    runner.cancelParked(job);
  }
  settleRootAfterCancellation(runner);
}

/**
 * Cancels every active activity instance of `activityId`, then every transition instance of it, as
 * found when called (Camunda's `cancelAllForActivity`). Unknown or inactive activity ids do nothing.
 */
export function cancelAllInstancesOf(runner: TokenRunner, activityId: string, skipIoMappings = false): void {
  const { draft } = runner.run;
  const targets = [...draft.activityInstances.values()].filter(
    (instance) => instance.activityId === activityId,
  );
  const transitions = [...draft.asyncJobs.values()].filter((job) => job.activityId === activityId);
  for (const target of targets) {
    if (draft.instance(target.id) !== undefined) cancelWithPropagation(runner, target.id, skipIoMappings);
  }
  for (const job of transitions) {
    if (draft.asyncJobs.get(job.id) !== undefined) {
      cancelTransitionInstance(runner, job.executionId, skipIoMappings);
    }
  }
}

/** A root left without children by a cancellation ends the instance (or is settled at the end). */
function settleRootAfterCancellation(runner: TokenRunner): void {
  const root = runner.run.draft.root;
  if (root !== undefined && !runner.run.draft.hasChildren(root.id)) runner.rootEmptiedByCancellation();
}

/**
 * Walks up while the parent is a non-root scope whose only child (activity or transition instance) is
 * the current instance.
 */
function topmostEmptiedAncestor(run: EngineRun, instance: ActivityInstance): ActivityInstance {
  let target = instance;
  for (;;) {
    const parent = target.parentId === null ? undefined : run.draft.instance(target.parentId);
    if (parent === undefined || parent.parentId === null || childCount(run, parent.id) > 1) return target;
    target = parent;
  }
}

/** The activity and transition instances directly inside a scope instance. */
function childCount(run: EngineRun, scopeInstanceId: string): number {
  return run.draft.childrenOf(scopeInstanceId).length + run.draft.asyncJobs.ownedBy(scopeInstanceId).length;
}
