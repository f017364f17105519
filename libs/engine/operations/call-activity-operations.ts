/**
 * What the shell runs on a calling instance when the instance its call activity started has ended.
 * The called instance's end decides: completed → the call activity completes with its `camunda:out`
 * variables; deleted (or cancelled down to nothing) → the call activity instance is cancelled, and
 * the calling instance with it if nothing else is left (Camunda's `deletePropagate`).
 */
import type { ProcessModel } from '@libs/bpmn';
import { outVariables } from '../execution/call-activities';
import { ProcessEngineException } from '../errors';
import { flowsLeavingActivity } from '../execution/flow-selection';
import type { EngineResult } from '../state/engine-effects';
import type { EngineContext, ProcessInstanceState } from '../state/instance-state';
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
