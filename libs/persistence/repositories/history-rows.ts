import type { ProcessModel } from '@libs/bpmn';
import type { EngineEffect, ProcessInstanceState } from '@libs/engine';

/** The effects of one operation on one instance, with what history needs to describe them. */
export interface HistoryEntry {
  /** The model of `state`'s definition (after a migration: the target's, which names its activities). */
  readonly model: ProcessModel;
  readonly state: ProcessInstanceState;
  readonly effects: readonly EngineEffect[];
}

/** An update of some columns of one history row. */
export interface RowUpdate {
  readonly id: string;
  readonly values: Record<string, unknown>;
}

/**
 * What history rows a set of operations writes: new rows (an activity that starts and ends within one
 * operation is one complete row) and, per kind of change, updates of earlier rows. Each list of updates
 * changes the same columns of every row it names, so rows sharing their values update together.
 */
export interface HistoryRows {
  /** `hi_process_instance` rows, in the order of {@link PROCESS_INSTANCE_COLUMNS}. */
  readonly processInstances: unknown[][];
  /** `hi_activity_instance` rows, in the order of {@link ACTIVITY_COLUMNS}. */
  readonly activityInstances: unknown[][];
  readonly processInstanceUpdates: ReadonlyArray<readonly RowUpdate[]>;
  readonly activityInstanceUpdates: ReadonlyArray<readonly RowUpdate[]>;
}

export const PROCESS_INSTANCE_COLUMNS = [
  'id',
  'business_key',
  'definition_id',
  'definition_key',
  'tenant_id',
  'start_time',
  'state',
  'start_activity_id',
  'super_process_instance_id',
  'root_process_instance_id',
];

interface ActivityRow {
  id: string;
  values: unknown[];
  endTime: Date | null;
  endReason: string | null;
  completeScope: boolean;
  taskId: string | null;
  assignee: string | null;
}

export const ACTIVITY_COLUMNS = [
  'id',
  'process_instance_id',
  'definition_id',
  'definition_key',
  'parent_activity_instance_id',
  'activity_id',
  'activity_name',
  'activity_type',
  'execution_id',
  'tenant_id',
  'start_time',
  'sequence_counter',
  'end_time',
  'end_reason',
  'complete_scope',
  'task_id',
  'assignee',
];

/**
 * Camunda's history rules as a pure function: which `hi_*` rows the effects of operations write.
 * `nextSequence` orders rows that start in the same millisecond.
 */
export function historyRows(
  entries: readonly HistoryEntry[],
  nextSequence: (time: Date) => number,
): HistoryRows {
  const started: unknown[][] = [];
  const ended: Array<{ id: string; state: string; endTime: Date; reason: string | null }> = [];
  const activities = new Map<string, ActivityRow>();
  const activityEnds: Array<{ id: string; endTime: Date; reason: string; completeScope: boolean }> = [];
  const taskAssignments: Array<{ id: string; taskId: string; assignee: string | null }> = [];
  const migratedInstances: Array<{ id: string; values: Record<string, unknown> }> = [];
  const migratedActivities = new Map<string, { id: string; values: Record<string, unknown> }>();
  const movedActivities: Array<{ id: string; values: Record<string, unknown> }> = [];
  const calledInstances: Array<{ id: string; values: Record<string, unknown> }> = [];

  for (const { model, state, effects } of entries) {
    for (const effect of effects) {
      switch (effect.type) {
        case 'processStarted':
          started.push([
            state.id,
            state.businessKey,
            state.definitionId,
            state.definitionKey,
            state.tenantId,
            effect.time,
            'ACTIVE',
            effect.startActivityId,
            state.callLinks?.superProcessInstanceId ?? null,
            state.callLinks?.rootProcessInstanceId ?? state.id,
          ]);
          // The call activity that started it names it (its row was written by an earlier statement).
          if (state.callLinks !== undefined) {
            calledInstances.push({
              id: state.callLinks.superActivityInstanceId,
              values: { called_process_instance_id: state.id },
            });
          }
          break;
        case 'processEnded':
          ended.push({
            id: effect.processInstanceId,
            state: effect.state,
            endTime: effect.time,
            reason: effect.deleteReason,
          });
          break;
        case 'activityStarted':
          activities.set(effect.activityInstanceId, {
            id: effect.activityInstanceId,
            values: [
              effect.activityInstanceId,
              state.id,
              state.definitionId,
              state.definitionKey,
              effect.parentActivityInstanceId,
              effect.activityId,
              model.nodes.get(effect.activityId)?.name ?? null,
              effect.activityType,
              effect.executionId,
              state.tenantId,
              effect.time,
              nextSequence(effect.time),
            ],
            endTime: null,
            endReason: null,
            completeScope: false,
            taskId: null,
            assignee: null,
          });
          break;
        case 'activityEnded': {
          // Camunda's "complete scope": the activity completed and its path ends there.
          const completeScope =
            effect.endReason === 'completed' && model.nodes.get(effect.activityId)?.outgoing.length === 0;
          const end = { endTime: effect.time, endReason: effect.endReason, completeScope };
          const fresh = activities.get(effect.activityInstanceId);
          if (fresh) Object.assign(fresh, end);
          else
            activityEnds.push({
              id: effect.activityInstanceId,
              endTime: effect.time,
              reason: effect.endReason,
              completeScope,
            });
          break;
        }
        case 'taskCreated': {
          const assignee = state.tasks.find((task) => task.id === effect.taskId)?.assignee ?? null;
          const fresh = activities.get(effect.activityInstanceId);
          if (fresh) Object.assign(fresh, { taskId: effect.taskId, assignee });
          else taskAssignments.push({ id: effect.activityInstanceId, taskId: effect.taskId, assignee });
          break;
        }
        case 'taskAssigned': {
          const fresh = activities.get(effect.activityInstanceId);
          if (fresh) fresh.assignee = effect.assignee;
          else
            taskAssignments.push({
              id: effect.activityInstanceId,
              taskId: effect.taskId,
              assignee: effect.assignee,
            });
          break;
        }
        case 'processMigrated':
          migratedInstances.push({
            id: effect.processInstanceId,
            values: { definition_id: effect.definitionId, definition_key: effect.definitionKey },
          });
          break;
        case 'activityMigrated': {
          const values = {
            activity_id: effect.activityId,
            activity_name: model.nodes.get(effect.activityId)?.name ?? null,
            activity_type: effect.activityType,
            definition_id: state.definitionId,
            definition_key: state.definitionKey,
          };
          // Rows inserted above in this call are updated after the insert, so one path serves both.
          migratedActivities.set(effect.activityInstanceId, { id: effect.activityInstanceId, values });
          // Apart, so that the rows of many instances share their values and update together.
          if (effect.parentActivityInstanceId !== effect.sourceParentActivityInstanceId)
            movedActivities.push({
              id: effect.activityInstanceId,
              values: { parent_activity_instance_id: effect.parentActivityInstanceId },
            });
          break;
        }
        default:
          break;
      }
    }
  }

  return {
    processInstances: started,
    activityInstances: [...activities.values()].map((row) => [
      ...row.values,
      row.endTime,
      row.endReason,
      row.completeScope ? 1 : 0,
      row.taskId,
      row.assignee,
    ]),
    processInstanceUpdates: [
      ended.map((e) => ({
        id: e.id,
        values: { end_time: e.endTime, state: e.state, delete_reason: e.reason },
      })),
      migratedInstances,
    ],
    activityInstanceUpdates: [
      activityEnds.map((e) => ({
        id: e.id,
        values: { end_time: e.endTime, end_reason: e.reason, complete_scope: e.completeScope ? 1 : 0 },
      })),
      [...migratedActivities.values()],
      movedActivities,
      taskAssignments.map((e) => ({ id: e.id, values: { task_id: e.taskId, assignee: e.assignee } })),
      calledInstances,
    ],
  };
}
