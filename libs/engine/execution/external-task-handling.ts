/**
 * What an external worker reports about a task it has locked: success (complete) or failure, checked
 * against the lock the way Camunda's `HandleExternalTaskCmd` does (the reporting worker must be the one
 * that holds the lock; an expired lock still counts until someone else fetches the task). Locking
 * itself happens set-wise in the shell (fetch-and-lock), not here.
 */
import type { ProcessModel } from '@libs/bpmn';
import type { EngineResult } from '../state/engine-effects';
import { BadUserRequestException, NotFoundException } from '../errors';
import type { EngineContext, ExternalTaskRecord, ProcessInstanceState } from '../state/instance-state';
import { InstanceSession } from '../state/instance-session';
import { completeExternalTask, type TriggerVariables } from '../operations/trigger-operations';
import { applyVariables } from '../state/variables';
import type { VariableMap } from '../state/typed-value';
import { throwError } from './bpmn-events';

/** Camunda truncates stored error messages of external tasks to this many characters. */
const MAX_ERROR_MESSAGE_LENGTH = 666;

export interface CompleteLockedExternalTaskCommand extends TriggerVariables {
  readonly externalTaskId: string;
  readonly workerId: string;
}

/**
 * Completes an external task on behalf of the worker holding its lock and moves the instance on.
 * @throws NotFoundException when the task does not exist; BadUserRequestException when another worker
 * (or none) holds the lock; SuspendedEntityInteractionException when the instance is suspended.
 */
export function completeLockedExternalTask(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: CompleteLockedExternalTaskCommand,
  ctx: EngineContext,
): EngineResult {
  const { externalTaskId, workerId } = command;
  requireLockedBy(
    state.externalTasks.find((task) => task.id === externalTaskId),
    externalTaskId,
    workerId,
    `External Task ${externalTaskId} cannot be completed by worker '${workerId}`,
  );
  return completeExternalTask(model, state, command, ctx);
}

export interface HandleExternalTaskFailureCommand extends TriggerVariables {
  readonly externalTaskId: string;
  readonly workerId: string;
  readonly errorMessage: string | null;
  /** Retries left; 0 means the task is not fetched again until someone sets new retries. */
  readonly retries: number;
  /** Milliseconds until the task may be fetched again (it stays locked by the worker until then). */
  readonly retryTimeout: number;
}

/**
 * Records a worker's failure: error message and retries are set and the lock now expires after
 * `retryTimeout`, as in Camunda's `ExternalTaskEntity.failed`. Variables are set like on completion.
 * @throws NotFoundException, BadUserRequestException, SuspendedEntityInteractionException as
 * {@link completeLockedExternalTask}.
 */
export function handleExternalTaskFailure(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: HandleExternalTaskFailureCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const { externalTaskId, workerId } = command;
  const task = requireLockedBy(
    session.draft.externalTasks.get(externalTaskId),
    externalTaskId,
    workerId,
    `Failure of External Task ${externalTaskId} cannot be reported by worker '${workerId}`,
  );
  session.requireNotSuspended('ExternalTask', task.id);
  const waiting = session.requireInstance(task.activityInstanceId);
  if (command.variables !== undefined) applyVariables(session.run, waiting.id, command.variables, false);
  if (command.localVariables !== undefined) {
    applyVariables(session.run, waiting.parentId ?? waiting.id, command.localVariables, true);
  }
  session.draft.externalTasks.add({
    ...task,
    errorMessage: command.errorMessage?.slice(0, MAX_ERROR_MESSAGE_LENGTH) ?? null,
    retries: command.retries,
    lockExpirationTime: new Date(ctx.now.getTime() + command.retryTimeout),
  });
  return session.finish();
}

export interface HandleExternalTaskBpmnErrorCommand {
  readonly externalTaskId: string;
  readonly workerId: string;
  readonly errorCode: string;
  readonly errorMessage: string | null;
  /** Set with propagation from the external task's activity instance before the error is thrown. */
  readonly variables?: VariableMap;
}

/**
 * A worker reports a BPMN error for a task it has locked (Camunda's `handleBpmnError`): the variables
 * are set, then the error is thrown from the external task's activity instance (see `bpmn-events.ts`):
 * caught, the catcher runs and the task goes with its activity; not caught, the task's token ends
 * there (Camunda ends the execution).
 * @throws NotFoundException, BadUserRequestException, SuspendedEntityInteractionException as
 * {@link completeLockedExternalTask}.
 */
export function handleExternalTaskBpmnError(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: HandleExternalTaskBpmnErrorCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const { externalTaskId, workerId } = command;
  const task = requireLockedBy(
    session.draft.externalTasks.get(externalTaskId),
    externalTaskId,
    workerId,
    `Bpmn error of External Task ${externalTaskId} cannot be reported by worker '${workerId}`,
  );
  session.requireNotSuspended('ExternalTask', task.id);
  const waiting = session.requireInstance(task.activityInstanceId);
  if (command.variables !== undefined) applyVariables(session.run, waiting.id, command.variables, false);
  throwError(session.runner, waiting, command.errorCode, command.errorMessage);
  session.runner.runToWaitStates();
  return session.finish();
}

export interface UnlockExternalTaskCommand {
  readonly externalTaskId: string;
}

/**
 * Releases an external task's lock whoever holds it (Camunda's `unlock`), so any worker may fetch it.
 * @throws NotFoundException when the task does not exist.
 */
export function unlockExternalTask(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: UnlockExternalTaskCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const task = session.draft.externalTasks.get(command.externalTaskId);
  if (task === undefined) throw externalTaskNotFound(command.externalTaskId);
  session.draft.externalTasks.add({ ...task, workerId: null, lockExpirationTime: null });
  return session.finish();
}

/** The task, if `workerId` holds its lock; Camunda's messages otherwise. */
function requireLockedBy(
  task: ExternalTaskRecord | undefined,
  externalTaskId: string,
  workerId: string,
  violation: string,
): ExternalTaskRecord {
  if (task === undefined) throw externalTaskNotFound(externalTaskId);
  if (task.workerId !== workerId) {
    throw new BadUserRequestException(`${violation}'. It is locked by worker '${task.workerId}'.`);
  }
  return task;
}

function externalTaskNotFound(id: string): NotFoundException {
  return new NotFoundException(`Cannot find external task with id ${id}: externalTask is null`, {
    entity: 'externalTask',
    id,
  });
}

export interface SetExternalTaskRetriesCommand {
  /** Tasks of this instance; every one must exist. */
  readonly externalTaskIds: readonly string[];
  readonly retries: number;
}

/**
 * Sets the retries of external tasks (Camunda's `setRetries`), whoever holds their lock and whether the
 * instance is suspended or not. A task at 0 retries is no longer fetched; the shell raises its
 * `failedExternalTask` incident when the retries reach 0 and resolves it when they are set above 0.
 * @throws NotFoundException (Camunda's `Cannot find external task with id …`) for a task not in the instance.
 */
export function setExternalTaskRetries(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: SetExternalTaskRetriesCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  for (const id of command.externalTaskIds) {
    const task = session.draft.externalTasks.get(id);
    if (task === undefined) throw externalTaskNotFound(id);
    session.draft.externalTasks.add({ ...task, retries: command.retries });
  }
  return session.finish();
}
