/**
 * Joining gateways. A token arriving at a joining gateway becomes a waiting gateway instance (Camunda
 * shows those in the activity-instance tree); when the join fires, the waiting instances it consumes
 * complete and one token leaves.
 * - Parallel: fires when as many tokens wait in the same scope instance as the gateway has incoming
 *   flows (counted, like Camunda, not matched per flow); then takes every outgoing flow.
 * - Inclusive: fires when a token has arrived for every incoming flow, or once no other token of the
 *   same scope instance can still reach the gateway (checked at quiescence by the runner); then takes
 *   the flows whose conditions hold. A gateway with one incoming flow only forks.
 */
import type { InclusiveGateway, ParallelGateway } from '@libs/bpmn';
import { removeActivityInstance, requireParent } from './activity-lifecycle';
import { flowsLeavingInclusiveGateway } from './flow-selection';
import type { ActivityInstance } from '../state/instance-state';
import { elementsReaching, hasInclusiveJoins } from './reachability';
import type { TokenRunner } from './token-runner';

/** A token arrived at a parallel gateway (as the fresh instance `arrived`). */
export function arriveAtParallelGateway(
  runner: TokenRunner,
  arrived: ActivityInstance,
  gateway: ParallelGateway,
): void {
  const waiting = waitingAt(runner, requireParent(arrived), gateway.id);
  const required = Math.max(1, gateway.incoming.length);
  if (waiting.length < required) return;
  const others = waiting.filter((instance) => instance.id !== arrived.id).slice(0, required - 1);
  for (const other of others) removeActivityInstance(runner.run, other, 'completed');
  runner.leave(arrived, gateway.outgoing);
}

/** A token arrived at an inclusive gateway (as the fresh instance `arrived`). */
export function arriveAtInclusiveGateway(
  runner: TokenRunner,
  arrived: ActivityInstance,
  gateway: InclusiveGateway,
): void {
  if (gateway.incoming.length <= 1) {
    runner.leave(arrived, flowsLeavingInclusiveGateway(runner.run, gateway, arrived.id));
    return;
  }
  const waiting = waitingAt(runner, requireParent(arrived), gateway.id);
  if (waiting.length >= gateway.incoming.length) fireInclusiveJoin(runner, arrived, waiting, gateway);
}

/**
 * Fires the first inclusive join (in state order) that no other token of its scope instance can still
 * reach. Returns whether one fired. Called by the runner when no work is left.
 */
export function activateReadyInclusiveJoin(runner: TokenRunner): boolean {
  const { model, draft } = runner.run;
  if (!hasInclusiveJoins(model)) return false;
  const groups = new Map<string, ActivityInstance[]>();
  for (const instance of draft.activityInstances.values()) {
    if (instance.activityType !== 'inclusiveGateway' || instance.parentId === null) continue;
    const key = `${instance.parentId}\n${instance.activityId}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [instance]);
    else group.push(instance);
  }
  for (const waiting of groups.values()) {
    const last = waiting[waiting.length - 1] as ActivityInstance;
    const gateway = model.nodes.get(last.activityId);
    if (gateway?.kind !== 'inclusiveGateway' || stillReachable(runner, last)) continue;
    fireInclusiveJoin(runner, last, waiting, gateway);
    return true;
  }
  return false;
}

function fireInclusiveJoin(
  runner: TokenRunner,
  continuing: ActivityInstance,
  waiting: readonly ActivityInstance[],
  gateway: InclusiveGateway,
): void {
  const flows = flowsLeavingInclusiveGateway(runner.run, gateway, continuing.id);
  for (const other of waiting)
    if (other.id !== continuing.id) removeActivityInstance(runner.run, other, 'completed');
  runner.leave(continuing, flows);
}

/** Whether another token of the same scope instance can still arrive at the gateway `waiting` is at. */
function stillReachable(runner: TokenRunner, waiting: ActivityInstance): boolean {
  const reaching = elementsReaching(runner.run.model, waiting.activityId);
  const scopeInstanceId = requireParent(waiting);
  const { draft } = runner.run;
  return (
    draft
      .childrenOf(scopeInstanceId)
      .some((other) => other.activityId !== waiting.activityId && reaching.has(other.activityId)) ||
    // A token parked in a transition instance arrives once its job runs (before the gateway itself too).
    draft.asyncJobs
      .ownedBy(scopeInstanceId)
      .some((job) => reaching.has(job.activityId) || job.activityId === waiting.activityId)
  );
}

function waitingAt(runner: TokenRunner, scopeInstanceId: string, gatewayId: string): ActivityInstance[] {
  return runner.run.draft.childrenOf(scopeInstanceId).filter((instance) => instance.activityId === gatewayId);
}
