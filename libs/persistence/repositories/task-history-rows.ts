import type { HistoryEntry, RowUpdate } from './history-rows';

/** `hi_task_instance` columns, in the order of {@link TaskHistoryRows.created}'s rows. */
export const TASK_COLUMNS = [
  'id',
  'process_instance_id',
  'root_process_instance_id',
  'execution_id',
  'activity_instance_id',
  'definition_id',
  'definition_key',
  'task_definition_key',
  'name',
  'assignee',
  'owner',
  'priority',
  'due',
  'follow_up',
  'tenant_id',
  'start_time',
  'end_time',
  'delete_reason',
  'state',
];

/**
 * What task history a set of operations writes: a row per created task, and per kind of change the
 * updates of earlier rows (by task id; a migration's by the task's activity instance). Each list
 * changes the same columns of every row it names, so rows sharing their values update together.
 */
export interface TaskHistoryRows {
  readonly created: unknown[][];
  /** Keyed by task id. */
  readonly updates: ReadonlyArray<readonly RowUpdate[]>;
  /** Keyed by activity instance id (a migrated task runs on another element). */
  readonly migrated: readonly RowUpdate[];
}

/**
 * Camunda's task history (`ACT_HI_TASKINST`) as a pure function of the engine's effects: a task is
 * `Created` with its details, `Updated` when its assignee changes, `Completed` (delete reason
 * `completed`) or `Deleted` (`deleted`) when it ends; a migrated task names its new element and definition.
 */
export function taskHistoryRows(entries: readonly HistoryEntry[]): TaskHistoryRows {
  const created = new Map<string, unknown[]>();
  const assigned = new Map<string, RowUpdate>();
  const ended = new Map<string, RowUpdate>();
  const migrated: RowUpdate[] = [];
  for (const { model, state, effects } of entries) {
    for (const effect of effects) {
      switch (effect.type) {
        case 'taskCreated': {
          const task = state.tasks.find((candidate) => candidate.id === effect.taskId);
          const node = model.nodes.get(
            task?.taskDefinitionKey ?? activityOf(state.activityInstances, effect.activityInstanceId),
          );
          created.set(effect.taskId, [
            effect.taskId,
            state.id,
            state.callLinks?.rootProcessInstanceId ?? state.id,
            task?.executionId ?? effect.activityInstanceId,
            effect.activityInstanceId,
            state.definitionId,
            state.definitionKey,
            task?.taskDefinitionKey ?? node?.id ?? '',
            task?.name ?? node?.name ?? null,
            task?.assignee ?? null,
            task?.owner ?? null,
            task?.priority ?? 50,
            task?.due ?? null,
            task?.followUp ?? null,
            state.tenantId,
            effect.time,
            null,
            null,
            'Created',
          ]);
          break;
        }
        case 'taskAssigned':
          assigned.set(effect.taskId, {
            id: effect.taskId,
            values: { assignee: effect.assignee, state: 'Updated' },
          });
          break;
        case 'taskEnded': {
          const completed = effect.reason === 'completed';
          ended.set(effect.taskId, {
            id: effect.taskId,
            values: {
              end_time: effect.time,
              delete_reason: effect.reason,
              state: completed ? 'Completed' : 'Deleted',
            },
          });
          break;
        }
        case 'activityMigrated': {
          const task = state.tasks.find(
            (candidate) => candidate.activityInstanceId === effect.activityInstanceId,
          );
          if (task === undefined) break;
          migrated.push({
            id: effect.activityInstanceId,
            values: {
              task_definition_key: task.taskDefinitionKey,
              definition_id: state.definitionId,
              definition_key: state.definitionKey,
            },
          });
          break;
        }
        default:
          break;
      }
    }
  }
  // A task created by this very call is written with its latest assignee and end at once.
  for (const [taskId, row] of created) {
    const assignment = assigned.get(taskId);
    if (assignment !== undefined) {
      row[TASK_COLUMNS.indexOf('assignee')] = assignment.values.assignee;
      row[TASK_COLUMNS.indexOf('state')] = assignment.values.state;
      assigned.delete(taskId);
    }
    const end = ended.get(taskId);
    if (end !== undefined) {
      row[TASK_COLUMNS.indexOf('end_time')] = end.values.end_time;
      row[TASK_COLUMNS.indexOf('delete_reason')] = end.values.delete_reason;
      row[TASK_COLUMNS.indexOf('state')] = end.values.state;
      ended.delete(taskId);
    }
  }
  return { created: [...created.values()], updates: [[...assigned.values()], [...ended.values()]], migrated };
}

function activityOf(
  activityInstances: ReadonlyArray<{ readonly id: string; readonly activityId: string }>,
  activityInstanceId: string,
): string {
  return activityInstances.find((instance) => instance.id === activityInstanceId)?.activityId ?? '';
}
