import type { DataSource } from 'typeorm';
import {
  claimTask,
  completeTask,
  NotFoundException,
  setTaskAssignee,
  visibleVariables,
  type TypedValue,
  type VariableMap,
} from '@libs/engine';
import {
  sqlOf,
  TaskRepository,
  type Page,
  type Sorting,
  type TaskQuery,
  type TaskRecord,
  type TaskSortKey,
} from '@libs/persistence';
import type { RuntimeService } from './runtime.service';

/**
 * User tasks: queries, and completion and assignment through the runtime, so every change to a task is
 * a change to its process instance, serialised with all others by the instance's revision.
 */
export class TaskService {
  private readonly tasks = new TaskRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly runtime: RuntimeService,
  ) {}

  query(query: TaskQuery, page?: Page, sorting?: ReadonlyArray<Sorting<TaskSortKey>>): Promise<TaskRecord[]> {
    return this.tasks.query(sqlOf(this.dataSource), query, page, sorting);
  }

  count(query: TaskQuery): Promise<number> {
    return this.tasks.count(sqlOf(this.dataSource), query);
  }

  find(taskId: string): Promise<TaskRecord | undefined> {
    return this.tasks.find(sqlOf(this.dataSource), taskId);
  }

  /**
   * Completes a task after setting `variables` (propagated from the task's activity) and returns the
   * process variables as they are afterwards (also when the instance ended with this task).
   * Of two concurrent completions exactly one succeeds; the other finds the task gone.
   * @throws NotFoundException when the task does not exist (any more); engine errors as thrown.
   */
  async complete(taskId: string, variables: VariableMap): Promise<Record<string, TypedValue>> {
    const { state } = await this.runtime.updateOwnerOf(
      'task',
      taskId,
      (model, current, ctx) => completeTask(model, current, { taskId, variables }, ctx),
      () => taskNotFound(taskId),
    );
    return visibleVariables(state, state.id);
  }

  /**
   * Claims a task for `userId` (`null` releases it).
   * @throws NotFoundException; TaskAlreadyClaimedException when another user holds it.
   */
  async claim(taskId: string, userId: string | null): Promise<void> {
    await this.runtime.updateOwnerOf(
      'task',
      taskId,
      (model, state, ctx) => claimTask(model, state, { taskId, userId }, ctx),
      () => taskNotFound(taskId),
    );
  }

  /** Sets or clears the assignee whoever holds the task. @throws NotFoundException. */
  async setAssignee(taskId: string, assignee: string | null): Promise<void> {
    await this.runtime.updateOwnerOf(
      'task',
      taskId,
      (model, state, ctx) => setTaskAssignee(model, state, { taskId, assignee }, ctx),
      () => taskNotFound(taskId),
    );
  }

  /** The variables visible from the task's activity instance, nearest scope first; `undefined` for no task. */
  async variables(taskId: string): Promise<Record<string, TypedValue> | undefined> {
    const record = await this.find(taskId);
    if (record === undefined) return undefined;
    const state = await this.runtime.load(record.processInstanceId);
    const task = state?.tasks.find((candidate) => candidate.id === taskId);
    return state && task ? visibleVariables(state, task.activityInstanceId) : undefined;
  }
}

function taskNotFound(taskId: string): NotFoundException {
  return new NotFoundException(`Cannot find task with id ${taskId}: task is null`);
}
