/**
 * Runs one modification instruction on a session (reference §11.1–§11.4), with Camunda's errors:
 * NotValidException for unknown elements, flows, activity/transition instances and bad ancestors,
 * prefixed "Cannot perform instruction: <description>; "; ProcessEngineException (unprefixed) for
 * start-after problems and ambiguous ancestors.
 */
import { eventBasedGatewayBefore, type BoundaryEvent } from '@libs/bpmn';
import { requireParent } from '../execution/activity-lifecycle';
import { assertNever } from '@libs/bpmn';
import { NotValidException, ProcessEngineException } from '../errors';
import type { InstanceSession, StartOptions } from '../state/instance-session';
import { applyVariables } from '../state/variables';
import {
  describeModification,
  splitVariables,
  type CancelInstruction,
  type ModificationInstruction,
  type StartBeforeActivityInstruction,
  type StartTransitionInstruction,
} from './modification-instructions';

/**
 * Performs `instruction` on the then-current state of `session` and runs tokens to wait states.
 * @throws NotValidException (prefixed), ProcessEngineException; the session must then be dropped.
 */
export function performInstruction(session: InstanceSession, instruction: ModificationInstruction): void {
  describingFailures(instruction, () => {
    session.requireRoot();
    perform(session, instruction);
  });
}

/**
 * Runs `step` for `instruction`, prefixing its NotValidExceptions with Camunda's
 * "Cannot perform instruction: <description>; " (`describeFailure`).
 */
export function describingFailures<T>(instruction: ModificationInstruction, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof NotValidException)) throw error;
    throw new NotValidException(
      `Cannot perform instruction: ${describeModification(instruction)}; ${error.message}`,
      { cause: error },
    );
  }
}

function perform(session: InstanceSession, instruction: ModificationInstruction): void {
  switch (instruction.type) {
    case 'startBeforeActivity':
      startBefore(session, instruction);
      return;
    case 'startAfterActivity':
      session.startAfter(instruction.activityId, startOptions(instruction));
      return;
    case 'startTransition':
      startTransition(session, instruction);
      return;
    case 'cancel':
      cancel(session, instruction);
      return;
    default:
      assertNever(instruction);
  }
}

function startOptions(instruction: {
  readonly ancestorActivityInstanceId?: string | null;
  readonly variables?: StartBeforeActivityInstruction['variables'];
}): StartOptions {
  return {
    ancestorActivityInstanceId: instruction.ancestorActivityInstanceId ?? undefined,
    ...splitVariables(instruction.variables),
  };
}

function startBefore(session: InstanceSession, instruction: StartBeforeActivityInstruction): void {
  const node = session.run.model.nodes.get(instruction.activityId);
  const options = startOptions(instruction);
  if (
    node?.kind === 'boundaryEvent' &&
    node.interrupting &&
    // A compensation boundary event is refused by the session, before anything is cancelled.
    node.trigger.type !== 'compensate' &&
    options.ancestorActivityInstanceId === undefined &&
    startInterrupting(session, node, options)
  ) {
    return;
  }
  const gatewayId = node === undefined ? null : eventBasedGatewayBefore(session.run.model, node);
  if (
    gatewayId !== null &&
    options.ancestorActivityInstanceId === undefined &&
    startCancellingGateway(session, gatewayId, instruction.activityId, options)
  ) {
    return;
  }
  session.startBefore(instruction.activityId, options);
}

/**
 * Starting a catch event that follows an event-based gateway cancels the gateway's active instance (its
 * event scope, Camunda's CANCEL_EVENT_SCOPE) and the event passes on in the gateway's scope instance.
 * Returns `false` when no gateway instance is active: the event then starts concurrently (and passes).
 * @throws ProcessEngineException when more than one gateway instance is active.
 */
function startCancellingGateway(
  session: InstanceSession,
  gatewayId: string,
  eventId: string,
  options: StartOptions,
): boolean {
  const gateways = [...session.draft.activityInstances.values()].filter((i) => i.activityId === gatewayId);
  const [gateway] = gateways;
  if (gateway === undefined) return false;
  if (gateways.length > 1) {
    throw new ProcessEngineException(`Executions for activity Activity(${gatewayId}) ambiguous`);
  }
  const scopeInstanceId = requireParent(gateway);
  session.runner.cancel(gateway, 'canceled', session.skipIoMappings);
  if (options.variables !== undefined) applyVariables(session.run, scopeInstanceId, options.variables, false);
  session.runner.enterNode(scopeInstanceId, eventId, options.localVariables, session.skipIoMappings);
  session.runner.runToWaitStates();
  return true;
}

/**
 * Starting an interrupting boundary event cancels its host first and continues from the event in the
 * host's scope instance (Camunda's CANCEL_EVENT_SCOPE). Returns `false` when no host instance is
 * active, in which case the event starts like any other element.
 * @throws ProcessEngineException when more than one host instance is active.
 */
function startInterrupting(session: InstanceSession, event: BoundaryEvent, options: StartOptions): boolean {
  const hosts = [...session.draft.activityInstances.values()].filter(
    (i) => i.activityId === event.attachedToId,
  );
  const [host] = hosts;
  if (host === undefined) return false;
  if (hosts.length > 1) {
    throw new ProcessEngineException(`Executions for activity ${event.attachedToId} ambiguous`);
  }
  const scopeInstanceId = requireParent(host);
  session.runner.cancel(host, 'canceled', session.skipIoMappings);
  if (options.variables !== undefined) applyVariables(session.run, scopeInstanceId, options.variables, false);
  session.runner.enterNode(scopeInstanceId, event.id, options.localVariables, session.skipIoMappings);
  session.runner.runToWaitStates();
  return true;
}

function startTransition(session: InstanceSession, instruction: StartTransitionInstruction): void {
  if (!session.run.model.flows.has(instruction.transitionId)) {
    throw new NotValidException(
      `Element '${instruction.transitionId}' does not exist in process '${session.draft.header.definitionId}': element is null`,
    );
  }
  session.startTransition(instruction.transitionId, startOptions(instruction));
}

function cancel(session: InstanceSession, instruction: CancelInstruction): void {
  if ('activityInstanceId' in instruction) {
    session.cancelActivityInstance(instruction.activityInstanceId);
  } else if ('transitionInstanceId' in instruction) {
    session.cancelTransitionInstance(instruction.transitionInstanceId);
  } else {
    session.cancelAllForActivity(instruction.activityId);
  }
}
