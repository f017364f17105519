/**
 * What each kind of flow node does when a token enters it. The activity instance has just been
 * created; a behaviour either leaves it at once (pass-through elements, forking gateways), leaves it
 * waiting with its wait-state records, or ends the token.
 */
import type { EndEvent, FlowNode } from '@libs/bpmn';
import { removeActivityInstance, requireParent } from './activity-lifecycle';
import { assertNever } from '@libs/bpmn';
import { createBoundaryTriggers } from './boundary-events';
import { startCallActivity } from './call-activities';
import { flowLeavingExclusiveGateway, flowsLeavingActivity } from './flow-selection';
import { arriveAtInclusiveGateway, arriveAtParallelGateway } from './gateway-joins';
import type { ActivityInstance } from '../state/instance-state';
import { enterMultiInstanceBody } from './multi-instance';
import type { TokenRunner } from './token-runner';
import { createEventTrigger, createExternalTask, createUserTask, subscribe } from './wait-states';

/** Runs the behaviour of `node` for its fresh instance `instance`. */
export function executeNode(runner: TokenRunner, instance: ActivityInstance, node: FlowNode): void {
  const { run } = runner;
  switch (node.kind) {
    case 'startEvent':
    case 'task':
    case 'boundaryEvent':
      runner.leave(instance, flowsLeavingActivity(run, node, instance.id));
      return;
    case 'endEvent':
      endEvent(runner, instance, node);
      return;
    case 'userTask':
      createUserTask(run, instance, node);
      createBoundaryTriggers(run, instance);
      return;
    case 'receiveTask':
      subscribe(run, instance, node.id, 'message', node.messageName);
      createBoundaryTriggers(run, instance);
      return;
    case 'externalTask':
      createExternalTask(run, instance, node);
      createBoundaryTriggers(run, instance);
      return;
    case 'subProcess':
      createBoundaryTriggers(run, instance);
      runner.enterNode(instance.id, node.startEventId);
      return;
    case 'callActivity':
      startCallActivity(run, instance, node);
      createBoundaryTriggers(run, instance);
      return;
    case 'exclusiveGateway':
      runner.leave(instance, [flowLeavingExclusiveGateway(run, node, instance.id)]);
      return;
    case 'inclusiveGateway':
      arriveAtInclusiveGateway(runner, instance, node);
      return;
    case 'parallelGateway':
      arriveAtParallelGateway(runner, instance, node);
      return;
    case 'intermediateCatchEvent':
      createEventTrigger(run, instance, node.id, node.trigger);
      return;
    case 'multiInstanceBody':
      enterMultiInstanceBody(runner, instance, node);
      return;
    default:
      assertNever(node);
  }
}

/**
 * A none end event ends its token. A terminate end event ends every other activity instance of its
 * scope instance (reason `terminated`) and completes that scope at once: the process instance at top
 * level, otherwise the sub-process, which is then left normally.
 */
function endEvent(runner: TokenRunner, instance: ActivityInstance, node: EndEvent): void {
  if (!node.terminate) {
    runner.leave(instance, []);
    return;
  }
  const { draft } = runner.run;
  const scope = draft.instance(requireParent(instance));
  removeActivityInstance(runner.run, instance, 'completed');
  if (scope === undefined) return;
  for (const sibling of draft.childrenOf(scope.id)) runner.cancel(sibling, 'terminated');
  runner.completeScope(scope);
}
