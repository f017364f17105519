import { Conditions, orderAndPage, type Page, type Sorting, type Sql } from '../sql';
import { tenantConditions } from './deployment.repository';

/**
 * The filters of `GET /history/activity-instance` (Camunda's HistoricActivityInstanceQueryDto, a
 * subset). Boolean flags only filter when `true`, as in Camunda.
 */
export interface HistoricActivityInstanceQuery {
  readonly activityInstanceId?: string;
  readonly processInstanceId?: string;
  readonly processDefinitionId?: string;
  readonly executionId?: string;
  readonly activityId?: string;
  readonly activityName?: string;
  readonly activityType?: string;
  readonly taskAssignee?: string;
  readonly finished?: boolean;
  readonly unfinished?: boolean;
  readonly canceled?: boolean;
  readonly completeScope?: boolean;
  readonly startedBefore?: Date;
  readonly startedAfter?: Date;
  readonly finishedBefore?: Date;
  readonly finishedAfter?: Date;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
}

export type HistoricActivityInstanceSortKey =
  | 'activityInstanceId'
  | 'instanceId'
  | 'executionId'
  | 'activityId'
  | 'activityName'
  | 'activityType'
  | 'startTime'
  | 'endTime'
  | 'duration'
  | 'definitionId'
  | 'occurrence'
  | 'tenantId';

/** One activity instance as history knows it. */
export interface HistoricActivityInstanceRecord {
  readonly id: string;
  readonly parentActivityInstanceId: string | null;
  readonly activityId: string;
  readonly activityName: string | null;
  readonly activityType: string;
  readonly processDefinitionKey: string;
  readonly processDefinitionId: string;
  readonly processInstanceId: string;
  readonly executionId: string;
  readonly taskId: string | null;
  readonly assignee: string | null;
  readonly startTime: Date;
  readonly endTime: Date | null;
  /** Cancelled, or ended by a terminate end event (Camunda reports both as canceled). */
  readonly canceled: boolean;
  readonly completeScope: boolean;
  readonly tenantId: string | null;
  /** The instance a call activity started; `null` for other activities. */
  readonly calledProcessInstanceId: string | null;
  /** The root of the instance's call hierarchy (the instance itself unless a call activity started it). */
  readonly rootProcessInstanceId: string;
}

const CANCELED = "a.end_reason IN ('canceled', 'terminated')";

const SORT_COLUMNS: Record<HistoricActivityInstanceSortKey, string> = {
  activityInstanceId: 'a.id',
  instanceId: 'a.process_instance_id',
  executionId: 'a.execution_id',
  activityId: 'a.activity_id',
  activityName: 'a.activity_name',
  activityType: 'a.activity_type',
  startTime: 'a.start_time',
  endTime: 'a.end_time',
  duration: 'TIMESTAMPDIFF(MICROSECOND, a.start_time, a.end_time)',
  definitionId: 'a.definition_id',
  occurrence: 'a.sequence_counter',
  tenantId: 'a.tenant_id',
};

type Row = {
  id: string;
  parent_activity_instance_id: string | null;
  activity_id: string;
  activity_name: string | null;
  activity_type: string;
  definition_key: string;
  definition_id: string;
  process_instance_id: string;
  execution_id: string;
  task_id: string | null;
  assignee: string | null;
  start_time: Date;
  end_time: Date | null;
  canceled: number;
  complete_scope: number;
  tenant_id: string | null;
  called_process_instance_id: string | null;
  root_id: string;
};

/** Queries over activity-instance history. */
export class HistoricActivityInstanceRepository {
  async query(
    sql: Sql,
    query: HistoricActivityInstanceQuery,
    page?: Page,
    sorting: Sorting<HistoricActivityInstanceSortKey>[] = [],
  ): Promise<HistoricActivityInstanceRecord[]> {
    const where = conditions(query);
    const rows = await sql.select<Row>(
      `SELECT a.id, a.parent_activity_instance_id, a.activity_id, a.activity_name, a.activity_type,
              a.definition_key, a.definition_id, a.process_instance_id, a.execution_id, a.task_id,
              a.assignee, a.start_time, a.end_time, ${CANCELED} AS canceled, a.complete_scope, a.tenant_id,
              a.called_process_instance_id, COALESCE(p.root_process_instance_id, a.process_instance_id) AS root_id
         FROM hi_activity_instance a
         LEFT JOIN hi_process_instance p ON p.id = a.process_instance_id${where}${orderAndPage(sorting, SORT_COLUMNS, 'a.id ASC', page)}`,
      where.params,
    );
    return rows.map((row) => ({
      id: row.id,
      parentActivityInstanceId: row.parent_activity_instance_id,
      activityId: row.activity_id,
      activityName: row.activity_name,
      activityType: row.activity_type,
      processDefinitionKey: row.definition_key,
      processDefinitionId: row.definition_id,
      processInstanceId: row.process_instance_id,
      executionId: row.execution_id,
      taskId: row.task_id,
      assignee: row.assignee,
      startTime: row.start_time,
      endTime: row.end_time,
      canceled: Number(row.canceled) === 1,
      completeScope: Number(row.complete_scope) === 1,
      tenantId: row.tenant_id,
      calledProcessInstanceId: row.called_process_instance_id,
      rootProcessInstanceId: row.root_id,
    }));
  }

  async count(sql: Sql, query: HistoricActivityInstanceQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM hi_activity_instance a${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }
}

function conditions(query: HistoricActivityInstanceQuery): Conditions {
  const where = new Conditions()
    .when(query.activityInstanceId, 'a.id = ?')
    .when(query.processInstanceId, 'a.process_instance_id = ?')
    .when(query.processDefinitionId, 'a.definition_id = ?')
    .when(query.executionId, 'a.execution_id = ?')
    .when(query.activityId, 'a.activity_id = ?')
    .when(query.activityName, 'a.activity_name = ?')
    .when(query.activityType, 'a.activity_type = ?')
    .when(query.taskAssignee, 'a.assignee = ?')
    .when(query.startedBefore, 'a.start_time <= ?')
    .when(query.startedAfter, 'a.start_time >= ?')
    .when(query.finishedBefore, 'a.end_time <= ?')
    .when(query.finishedAfter, 'a.end_time >= ?');
  if (query.finished) where.add('a.end_time IS NOT NULL');
  if (query.unfinished) where.add('a.end_time IS NULL');
  if (query.canceled) where.add(CANCELED);
  if (query.completeScope) where.add('a.complete_scope = 1');
  return tenantConditions(where, query.tenantIdIn, query.withoutTenantId, false, 'a.tenant_id');
}
