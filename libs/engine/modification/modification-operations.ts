/**
 * Process-instance modification (reference §4, §11): an ordered list of instructions applied to one
 * instance in one session, each on the state the previous one left. The process instance is kept
 * alive between instructions; after the last one an instance without activity instances is
 * cancelled (EXTERNALLY_TERMINATED), or COMPLETED if it ran to its end. All or nothing: if an
 * instruction fails, the error is thrown and the caller's state is untouched.
 */
import type { ProcessModel } from '@libs/bpmn';
import type { EngineResult } from '../state/engine-effects';
import { ProcessEngineException } from '../errors';
import type { EngineContext, ProcessInstanceState } from '../state/instance-state';
import { InstanceSession } from '../state/instance-session';
import { performInstruction } from './instruction-runner';
import type {
  CancelActivityInstruction,
  CancelInstruction,
  ModificationInstruction,
  StartAfterActivityInstruction,
  StartBeforeActivityInstruction,
  StartTransitionInstruction,
} from './modification-instructions';

export interface ModifyInstanceCommand {
  readonly instructions: readonly ModificationInstruction[];
  /** Accepted for the REST contract; this engine runs no custom listeners. */
  readonly skipCustomListeners?: boolean;
  /**
   * Skip the input mappings of the activities the instructions start (and of the scopes created for
   * them) and the output mappings of the instances they cancel. Default `false`.
   */
  readonly skipIoMappings?: boolean;
}

/**
 * Modifies one running instance (`POST /process-instance/{id}/modification`). No instructions: a
 * no-op returning the input state and no effects.
 * @throws ProcessEngineException ENGINE-13036 for an ended instance; SuspendedEntityInteractionException;
 * NotValidException "Cannot perform instruction: …; …" for unknown elements, flows, instances and bad
 * ancestors; ProcessEngineException for start-after without a single flow, ambiguous ancestors and
 * failures of the process itself.
 */
export function modifyInstance(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: ModifyInstanceCommand,
  ctx: EngineContext,
): EngineResult {
  if (command.instructions.length === 0) return { state, effects: [] };
  const session = new InstanceSession(model, state, ctx, {
    preserveRoot: true,
    skipIoMappings: command.skipIoMappings ?? false,
  });
  session.requireRoot();
  session.requireNotSuspended();
  for (const instruction of command.instructions) performInstruction(session, instruction);
  return session.finish();
}

/** The instructions of the multi-instance endpoints: no ancestors, no variables, cancel by activity. */
export type BatchModificationInstruction =
  | Pick<StartBeforeActivityInstruction, 'type' | 'activityId'>
  | Pick<StartAfterActivityInstruction, 'type' | 'activityId'>
  | Pick<StartTransitionInstruction, 'type' | 'transitionId'>
  | CancelActivityInstruction;

export interface ModifyInstancesCommand {
  /** Every instance must run on exactly this definition (ENGINE-13037 otherwise). */
  readonly processDefinitionId: string;
  readonly instructions: readonly BatchModificationInstruction[];
  readonly skipCustomListeners?: boolean;
  readonly skipIoMappings?: boolean;
}

/** What happened to one instance of a multi-instance modification. */
export type ModificationOutcome =
  | { readonly ok: true; readonly processInstanceId: string; readonly result: EngineResult }
  | { readonly ok: false; readonly processInstanceId: string; readonly error: ProcessEngineException };

/**
 * Modifies one instance as `/modification/execute` does: the instance must run on
 * `processDefinitionId`, and cancels with `cancelCurrentActiveActivityInstances` are expanded into
 * the activity and transition instances present before the first instruction runs (§11.8).
 * @throws ProcessEngineException ENGINE-13036 / ENGINE-13037, and everything {@link modifyInstance} throws.
 */
export function modifyInstanceOfDefinition(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: ModifyInstancesCommand,
  ctx: EngineContext,
): EngineResult {
  if (state.state !== 'ACTIVE') {
    throw new ProcessEngineException(
      `ENGINE-13036 Process instance '${state.id}' cannot be modified. The process instance does not exist`,
    );
  }
  if (state.definitionId !== command.processDefinitionId) {
    throw new ProcessEngineException(
      `ENGINE-13037 Process instance '${state.id}' cannot be modified. Its process definition '${state.definitionId}' does not match given process definition '${command.processDefinitionId}'`,
    );
  }
  const instructions = command.instructions.flatMap((instruction) => expandCancel(state, instruction));
  return modifyInstance(
    model,
    state,
    {
      instructions,
      skipCustomListeners: command.skipCustomListeners,
      skipIoMappings: command.skipIoMappings,
    },
    ctx,
  );
}

/**
 * Modifies many instances of one definition (`/modification/execute`, batch execution jobs), each on
 * its own. Engine errors become failed outcomes; anything else (a bug) is thrown.
 */
export function modifyInstances(
  model: ProcessModel,
  states: readonly ProcessInstanceState[],
  command: ModifyInstancesCommand,
  ctx: EngineContext,
): ModificationOutcome[] {
  return states.map((state) => {
    try {
      return {
        ok: true,
        processInstanceId: state.id,
        result: modifyInstanceOfDefinition(model, state, command, ctx),
      };
    } catch (error) {
      if (!(error instanceof ProcessEngineException)) throw error;
      return { ok: false, processInstanceId: state.id, error };
    }
  });
}

function expandCancel(
  state: ProcessInstanceState,
  instruction: BatchModificationInstruction,
): ModificationInstruction[] {
  if (instruction.type !== 'cancel' || instruction.cancelCurrentActiveActivityInstances !== true) {
    return [instruction];
  }
  const activityInstances = state.activityInstances
    .filter((instance) => instance.activityId === instruction.activityId)
    .map((instance): CancelInstruction => ({ type: 'cancel', activityInstanceId: instance.id }));
  const transitionInstances = state.asyncJobs
    .filter((job) => job.activityId === instruction.activityId)
    .map((job): CancelInstruction => ({ type: 'cancel', transitionInstanceId: job.executionId }));
  return [...activityInstances, ...transitionInstances];
}
