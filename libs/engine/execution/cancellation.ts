/**
 * Cancelling activity instances with Camunda's propagation (reference §11.4): instead of leaving an
 * empty scope behind, the topmost ancestor scope that would be left without children is cancelled.
 * When the root runs out of children this way, the process instance is cancelled
 * (EXTERNALLY_TERMINATED), or, in a session that preserves the root, decided at the end.
 */
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
    runner.rootEmptiedByCancellation();
    return;
  }
  const target = topmostEmptiedAncestor(runner.run, instance);
  runner.cancel(target, 'canceled', skipIoMappings);
  const root = draft.root;
  if (target.parentId === root?.id && !draft.hasChildren(root.id)) runner.rootEmptiedByCancellation();
}

/**
 * Cancels every active instance of `activityId`, as found when called (Camunda's
 * `cancelAllForActivity`). Unknown or inactive activity ids do nothing.
 */
export function cancelAllInstancesOf(runner: TokenRunner, activityId: string, skipIoMappings = false): void {
  const { draft } = runner.run;
  const targets = [...draft.activityInstances.values()].filter(
    (instance) => instance.activityId === activityId,
  );
  for (const target of targets) {
    if (draft.instance(target.id) !== undefined) cancelWithPropagation(runner, target.id, skipIoMappings);
  }
}

/** Walks up while the parent is a non-root scope whose only child is the current instance. */
function topmostEmptiedAncestor(run: EngineRun, instance: ActivityInstance): ActivityInstance {
  let target = instance;
  for (;;) {
    const parent = target.parentId === null ? undefined : run.draft.instance(target.parentId);
    if (parent === undefined || parent.parentId === null || run.draft.childrenOf(parent.id).length > 1)
      return target;
    target = parent;
  }
}
