/**
 * The building blocks of process-instance modification as single-step pure operations: start a token
 * before an element, on a sequence flow, or after an element, and cancel an activity or transition
 * instance with upward propagation. An empty process instance afterwards is cancelled
 * (EXTERNALLY_TERMINATED) or, if it ran to its end, COMPLETED. Multi-instruction modification uses
 * {@link InstanceSession} with `preserveRoot: true` and the same methods.
 *
 * Errors follow Camunda's texts without the "Cannot perform instruction: …; " prefix, which the
 * modification layer adds: NotValidException for unknown elements, flows, activity and transition
 * instances and unrelated ancestors; ProcessEngineException for ambiguous ancestors and start-after
 * problems.
 */
import type { ProcessModel } from '@libs/bpmn';
import type { EngineResult } from '../state/engine-effects';
import type { EngineContext, ProcessInstanceState } from '../state/instance-state';
import { InstanceSession, type StartOptions } from '../state/instance-session';

export interface EnterNodeCommand extends StartOptions {
  readonly nodeId: string;
}

/**
 * Starts a token before `nodeId` (`startBeforeActivity`) under the given or looked-up ancestor scope
 * instance, creating missing sub-process instances, and runs to wait states.
 */
export function enterNode(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: EnterNodeCommand,
  ctx: EngineContext,
): EngineResult {
  return modify(model, state, ctx, (session) => session.startBefore(command.nodeId, command));
}

export interface LeaveNodeCommand extends StartOptions {
  readonly nodeId: string;
}

/** Starts a token on the single outgoing flow of `nodeId` (`startAfterActivity`). */
export function leaveNode(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: LeaveNodeCommand,
  ctx: EngineContext,
): EngineResult {
  return modify(model, state, ctx, (session) => session.startAfter(command.nodeId, command));
}

export interface TakeFlowCommand extends StartOptions {
  readonly flowId: string;
}

/** Starts a token on the sequence flow `flowId` (`startTransition`). */
export function takeFlow(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: TakeFlowCommand,
  ctx: EngineContext,
): EngineResult {
  return modify(model, state, ctx, (session) => session.startTransition(command.flowId, command));
}

export interface CancelActivityInstanceCommand {
  readonly activityInstanceId: string;
}

/**
 * Cancels an activity instance (leaf or scope). If that leaves its scope without children, the scope
 * is cancelled instead, up to the process instance, which is then EXTERNALLY_TERMINATED.
 */
export function cancelActivityInstance(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: CancelActivityInstanceCommand,
  ctx: EngineContext,
): EngineResult {
  return modify(model, state, ctx, (session) => session.cancelActivityInstance(command.activityInstanceId));
}

export interface CancelTransitionInstanceCommand {
  /** The transition instance's id, i.e. its execution id. */
  readonly transitionInstanceId: string;
}

/**
 * Cancels a transition instance (a pending asynchronous continuation): its job is deleted without
 * running. A scope left without children is cancelled instead, up to the process instance, which is
 * then EXTERNALLY_TERMINATED.
 */
export function cancelTransitionInstance(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: CancelTransitionInstanceCommand,
  ctx: EngineContext,
): EngineResult {
  return modify(model, state, ctx, (session) =>
    session.cancelTransitionInstance(command.transitionInstanceId),
  );
}

function modify(
  model: ProcessModel,
  state: ProcessInstanceState,
  ctx: EngineContext,
  step: (session: InstanceSession) => void,
): EngineResult {
  const session = new InstanceSession(model, state, ctx, { preserveRoot: true });
  session.requireRoot();
  session.requireNotSuspended();
  step(session);
  return session.finish();
}
