/**
 * Changes to a user task's assignee that do not move tokens: claim, unclaim and set assignee (Camunda's
 * `ClaimTaskCmd` and `SetTaskPropertyCmd`). Each is a pure operation on the instance that owns the task,
 * so the shell's revision check serialises them with every other change to that instance.
 */
import type { ProcessModel } from '@libs/bpmn';
import type { EngineResult } from '../state/engine-effects';
import { NotFoundException, TaskAlreadyClaimedException } from '../errors';
import type { EngineContext, ProcessInstanceState, Task } from '../state/instance-state';
import { InstanceSession } from '../state/instance-session';

export interface ClaimTaskCommand {
  readonly taskId: string;
  /** The claiming user; `null` releases the task, as Camunda's `claim(taskId, null)` does. */
  readonly userId: string | null;
}

/**
 * Claims a task for a user. Claiming a task the same user already holds changes nothing but the
 * task's `lastUpdated`.
 * @throws NotFoundException when the task does not exist; SuspendedEntityInteractionException when its
 * instance is suspended; TaskAlreadyClaimedException when another user holds it.
 */
export function claimTask(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: ClaimTaskCommand,
  ctx: EngineContext,
): EngineResult {
  return changeAssignee(model, state, command.taskId, ctx, (task) => {
    if (command.userId !== null && task.assignee !== null && task.assignee !== command.userId) {
      throw new TaskAlreadyClaimedException(task.id, task.assignee);
    }
    return command.userId;
  });
}

export interface SetTaskAssigneeCommand {
  readonly taskId: string;
  /** The new assignee; `null` leaves the task unassigned (unclaim). */
  readonly assignee: string | null;
}

/**
 * Sets (or clears) a task's assignee regardless of who holds it.
 * @throws NotFoundException when the task does not exist; SuspendedEntityInteractionException when its
 * instance is suspended.
 */
export function setTaskAssignee(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: SetTaskAssigneeCommand,
  ctx: EngineContext,
): EngineResult {
  return changeAssignee(model, state, command.taskId, ctx, () => command.assignee);
}

function changeAssignee(
  model: ProcessModel,
  state: ProcessInstanceState,
  taskId: string,
  ctx: EngineContext,
  assigneeFor: (task: Task) => string | null,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const task = session.draft.tasks.get(taskId);
  if (task === undefined) throw new NotFoundException(`Cannot find task with id ${taskId}: task is null`);
  session.requireNotSuspended('Task', task.id);
  const assignee = assigneeFor(task);
  session.draft.tasks.add({ ...task, assignee, lastUpdated: ctx.now });
  if (assignee !== task.assignee) {
    session.run.emit({
      type: 'taskAssigned',
      taskId: task.id,
      activityInstanceId: task.activityInstanceId,
      assignee,
      time: ctx.now,
    });
  }
  return session.finish();
}
