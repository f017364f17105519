/**
 * What each kind of flow node does when a token enters it. The activity instance has just been
 * created; a behaviour either leaves it at once (pass-through elements, forking gateways), leaves it
 * waiting with its wait-state records, or ends the token.
 */
import { eventBasedGatewayBefore, isWaitTrigger, type EndEvent, type FlowNode } from '@libs/bpmn';
import { ProcessEngineException } from '../errors';
import { removeActivityInstance, requireParent } from './activity-lifecycle';
import { assertNever } from '@libs/bpmn';
import { createBoundaryTriggers } from './boundary-events';
import { throwCompensation } from './compensation';
import { interruptTransaction } from './transactions';
import { startCallActivity } from './call-activities';
import { throwError, throwEscalation } from './bpmn-events';
import { conditionHolds, evaluateOnEntry, passesEntryConditions } from './conditional-events';
import { createEventSubProcessTriggers } from './event-sub-processes';
import { evaluateText } from './expressions';
import { flowLeavingExclusiveGateway, flowsLeavingActivity } from './flow-selection';
import { arriveAtInclusiveGateway, arriveAtParallelGateway } from './gateway-joins';
import type { ActivityInstance } from '../state/instance-state';
import { enterMultiInstanceBody } from './multi-instance';
import { armEventBasedGateway, throwSignal } from './signal-throws';
import type { TokenRunner } from './token-runner';
import { createEventTrigger, createExternalTask, createUserTask, subscribe } from './wait-states';

/** Runs the behaviour of `node` for its fresh instance `instance`. */
export function executeNode(runner: TokenRunner, instance: ActivityInstance, node: FlowNode): void {
  const { run } = runner;
  if (!passesEntryConditions(runner, instance, node)) return;
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
      evaluateOnEntry(runner, instance);
      return;
    case 'receiveTask':
      subscribe(run, instance, node.id, 'message', node.messageName);
      createBoundaryTriggers(run, instance);
      evaluateOnEntry(runner, instance);
      return;
    case 'externalTask':
      createExternalTask(run, instance, node.id, node);
      createBoundaryTriggers(run, instance);
      evaluateOnEntry(runner, instance);
      return;
    case 'subProcess':
      createBoundaryTriggers(run, instance);
      createEventSubProcessTriggers(run, instance);
      // A conditional event that holds on entry fires first; an interrupting one replaces the start.
      if (evaluateOnEntry(runner, instance)) runner.enterNode(instance.id, node.startEventId);
      return;
    case 'callActivity':
      startCallActivity(run, instance, node);
      createBoundaryTriggers(run, instance);
      evaluateOnEntry(runner, instance);
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
      // After an event-based gateway the gateway waits for the event; entered itself (modification),
      // the event passes on at once, as Camunda's `IntermediateCatchEventActivityBehavior` does.
      if (eventBasedGatewayBefore(run.model, node) !== null) {
        runner.leave(instance, flowsLeavingActivity(run, node, instance.id));
        return;
      }
      // A link catch event is no wait state: the flows into its link's throw events lead here.
      if (node.trigger.type === 'link') {
        runner.leave(instance, flowsLeavingActivity(run, node, instance.id));
        return;
      }
      if (!isWaitTrigger(node.trigger)) throw notExecutable(node);
      // A condition that holds on arrival passes through without waiting.
      if (node.trigger.type === 'conditional' && conditionHolds(run, node.trigger, instance.id)) {
        runner.leave(instance, flowsLeavingActivity(run, node, instance.id));
        return;
      }
      createEventTrigger(run, instance, node.id, node.trigger);
      return;
    case 'intermediateThrowEvent':
      // A service-task-like message throw event waits for its external task, then passes on.
      if (node.result.type === 'message' && node.result.externalTask !== null) {
        createExternalTask(run, instance, node.id, node.result.externalTask);
        return;
      }
      if (node.result.type === 'signal') {
        throwSignal(runner, instance, node, flowsLeavingActivity(run, node, instance.id));
        return;
      }
      if (node.result.type === 'escalation') {
        throwEscalation(runner, instance, node.result.escalationCode);
        // An interrupting catcher around it has ended it; otherwise it passes on.
        if (run.draft.instance(instance.id) === undefined) return;
      } else if (node.result.type === 'compensate') {
        throwCompensation(runner, instance, node.result.activityRef);
        return;
      } else if (node.result.type !== 'none' && node.result.type !== 'message') throw notExecutable(node);
      runner.leave(instance, flowsLeavingActivity(run, node, instance.id));
      return;
    case 'eventBasedGateway':
      armEventBasedGateway(runner, instance, node);
      evaluateOnEntry(runner, instance);
      return;
    case 'multiInstanceBody':
      enterMultiInstanceBody(runner, instance, node);
      return;
    default:
      assertNever(node);
  }
}

/** An element deployment lets through but whose behaviour this engine lacks (a bug if ever thrown). */
function notExecutable(node: FlowNode): ProcessEngineException {
  return new ProcessEngineException(`The behaviour of ${node.kind} '${node.id}' is not implemented`);
}

/**
 * A none end event (or a message end event without implementation) ends its token. An error end
 * event throws its error (see `bpmn-events.ts`; not caught: it ends its token like a none end event);
 * an escalation end event throws its escalation and then ends its token unless an interrupting
 * catcher ended it. A terminate end event ends every other activity instance of its
 * scope instance (reason `terminated`) and completes that scope at once: the process instance at top
 * level, otherwise the sub-process, which is then left normally.
 */
function endEvent(runner: TokenRunner, instance: ActivityInstance, node: EndEvent): void {
  // A service-task-like message end event waits for its external task, then ends its token.
  if (node.result.type === 'message' && node.result.externalTask !== null) {
    createExternalTask(runner.run, instance, node.id, node.result.externalTask);
    return;
  }
  if (node.result.type === 'none' || node.result.type === 'message') {
    runner.leave(instance, []);
    return;
  }
  if (node.result.type === 'signal') {
    throwSignal(runner, instance, node, []);
    return;
  }
  if (node.result.type === 'error') {
    const { errorCode, errorMessage } = node.result;
    const message = errorMessage === null ? null : evaluateText(runner.run, errorMessage, instance.id);
    throwError(
      runner,
      instance,
      errorCode,
      message === null || message === undefined ? null : String(message),
    );
    return;
  }
  if (node.result.type === 'escalation') {
    throwEscalation(runner, instance, node.result.escalationCode);
    if (runner.run.draft.instance(instance.id) !== undefined) runner.leave(instance, []);
    return;
  }
  if (node.result.type === 'compensate') {
    throwCompensation(runner, instance, node.result.activityRef);
    return;
  }
  if (node.result.type === 'cancel') {
    interruptTransaction(runner, instance, node);
    throwCompensation(runner, instance, null);
    return;
  }
  if (node.result.type !== 'terminate') throw notExecutable(node);
  const { draft } = runner.run;
  const scope = draft.instance(requireParent(instance));
  removeActivityInstance(runner.run, instance, 'completed');
  if (scope === undefined) return;
  for (const sibling of draft.childrenOf(scope.id)) runner.cancel(sibling, 'terminated');
  runner.completeScope(scope);
}
