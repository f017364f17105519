/**
 * What the shell runs on a calling instance when the instance its call activity started has ended,
 * or let a BPMN error or escalation escape (see `bpmn-events.ts`).
 * The called instance's end decides: completed → the call activity completes with its `camunda:out`
 * variables; deleted (or cancelled down to nothing) → the call activity instance is cancelled, and
 * the calling instance with it if nothing else is left (Camunda's `deletePropagate`).
 */
import type { CallActivity, ProcessModel } from '@libs/bpmn';
import { executeCatcher, findCatcher, type Thrown } from '../execution/bpmn-events';
import { outVariables } from '../execution/call-activities';
import { ProcessEngineException } from '../errors';
import { flowsLeavingActivity } from '../execution/flow-selection';
import type { EngineResult, ErrorOrigin } from '../state/engine-effects';
import type { ActivityInstance, EngineContext, ProcessInstanceState } from '../state/instance-state';
import { InstanceSession } from '../state/instance-session';
import type { VariableMap } from '../state/typed-value';
import { applyVariables } from '../state/variables';

export interface CompleteCallActivityCommand {
  /** The waiting call activity instance (the called instance's `superActivityInstanceId`). */
  readonly activityInstanceId: string;
  /** The process variables of the called instance as it ended. */
  readonly calledVariables: VariableMap;
}

/**
 * Completes a waiting call activity: sets its `camunda:out` variables (with propagation from the call
 * activity instance, or locally on it), runs its output mappings and leaves it along its outgoing
 * flows. Allowed on a suspended instance (Camunda continues a suspended caller too).
 * @throws ProcessEngineException when the instance does not wait in that call activity instance.
 */
export function completeCallActivity(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: CompleteCallActivityCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const instance = session.draft.instance(command.activityInstanceId);
  const node = instance === undefined ? undefined : model.nodes.get(instance.activityId);
  if (instance === undefined || node?.kind !== 'callActivity') {
    throw new ProcessEngineException(
      `Process instance '${state.id}' has no call activity instance '${command.activityInstanceId}'`,
    );
  }
  const { shared, local } = outVariables(node.outputs, command.calledVariables);
  applyVariables(session.run, instance.id, shared, false);
  applyVariables(session.run, instance.id, local, true);
  session.runner.leave(instance, flowsLeavingActivity(session.run, node, instance.id));
  session.runner.runToWaitStates();
  return session.finish();
}

export interface CatchCalledErrorCommand {
  /** The call activity instance whose called instance let the error escape. */
  readonly activityInstanceId: string;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** The activity instance that threw it, in the called instance where it was thrown. */
  readonly origin: ErrorOrigin;
  /** The process variables of the called instance (for the call activity's `camunda:out`). */
  readonly calledVariables: VariableMap;
}

/**
 * A BPMN error escaped the instance a call activity of this instance called: the call activity's
 * `camunda:out` variables are set (as Camunda propagates them with the error) and the error is looked
 * for from the call activity instance outwards. Caught: the catcher runs (ending the call activity,
 * whose called instance the shell then deletes). Not caught: `bpmnErrorEscaped` again when this
 * instance was itself called, else `bpmnErrorUncaught` (the shell ends the thrower at `origin`).
 * A caller that no longer waits there reports the error uncaught.
 */
export function catchCalledError(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: CatchCalledErrorCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const call = waitingCallActivity(session, command.activityInstanceId);
  if (call === undefined) {
    // Nobody waits for it here any more: the thrower must not stay in limbo.
    session.run.emit({ type: 'bpmnErrorUncaught', origin: command.origin });
    return session.finish();
  }
  const { instance, node } = call;
  setOutVariables(session, instance, node, command.calledVariables);
  const thrown: Thrown = { kind: 'error', code: command.errorCode, message: command.errorMessage };
  const catcher = findCatcher(session.run, instance, thrown, 'called');
  if (catcher !== undefined) {
    executeCatcher(session.runner, catcher, thrown);
    session.runner.runToWaitStates();
  } else if (session.draft.callLinks !== undefined) {
    session.run.emit({
      type: 'bpmnErrorEscaped',
      processInstanceId: state.id,
      errorCode: command.errorCode,
      errorMessage: command.errorMessage,
      origin: command.origin,
      variables: processVariablesOf(session),
    });
  } else {
    session.run.emit({ type: 'bpmnErrorUncaught', origin: command.origin });
  }
  return session.finish();
}

export interface EndUncaughtErrorCommand {
  /** The activity instance (error end event or external task) that threw the error. */
  readonly activityInstanceId: string;
}

/**
 * Nobody caught the error the activity instance threw: it ends like a none end event (an external
 * task's token ends there), as Camunda does with an unhandled BPMN error. Nothing when it is gone.
 */
export function endUncaughtError(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: EndUncaughtErrorCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const instance = session.draft.instance(command.activityInstanceId);
  if (instance !== undefined) {
    session.runner.leave(instance, []);
    session.runner.runToWaitStates();
  }
  return session.finish();
}

export interface CatchCalledEscalationCommand {
  readonly activityInstanceId: string;
  readonly escalationCode: string | null;
  readonly calledVariables: VariableMap;
}

/**
 * An escalation escaped the instance a call activity of this instance called: looked for from the
 * call activity instance outwards (its `camunda:out` variables set first); not caught here, it goes
 * on to this instance's caller, if any. A caller that no longer waits there changes nothing.
 */
export function catchCalledEscalation(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: CatchCalledEscalationCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const call = waitingCallActivity(session, command.activityInstanceId);
  if (call === undefined) return session.finish();
  const { instance, node } = call;
  setOutVariables(session, instance, node, command.calledVariables);
  const thrown: Thrown = { kind: 'escalation', code: command.escalationCode };
  const catcher = findCatcher(session.run, instance, thrown, 'called');
  if (catcher !== undefined) {
    executeCatcher(session.runner, catcher, thrown);
    session.runner.runToWaitStates();
  } else if (session.draft.callLinks !== undefined) {
    session.run.emit({
      type: 'escalationEscaped',
      processInstanceId: state.id,
      escalationCode: command.escalationCode,
      variables: processVariablesOf(session),
    });
  }
  return session.finish();
}

function waitingCallActivity(
  session: InstanceSession,
  activityInstanceId: string,
): { instance: ActivityInstance; node: CallActivity } | undefined {
  if (!session.draft.isActive) return undefined;
  const instance = session.draft.instance(activityInstanceId);
  const node = instance === undefined ? undefined : session.run.model.nodes.get(instance.activityId);
  return instance !== undefined && node?.kind === 'callActivity' ? { instance, node } : undefined;
}

function setOutVariables(
  session: InstanceSession,
  instance: ActivityInstance,
  node: CallActivity,
  calledVariables: VariableMap,
): void {
  const { shared, local } = outVariables(node.outputs, calledVariables);
  applyVariables(session.run, instance.id, shared, false);
  applyVariables(session.run, instance.id, local, true);
}

function processVariablesOf(session: InstanceSession): VariableMap {
  const variables: Record<string, VariableMap[string]> = {};
  for (const variable of session.draft.variables.ownedBy(session.draft.header.id)) {
    variables[variable.name] = variable.value;
  }
  return variables;
}
