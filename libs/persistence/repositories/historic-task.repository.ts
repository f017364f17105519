import { Conditions, orderAndPage, type Page, type Sorting, type Sql } from '../sql';
import { tenantConditions } from './deployment.repository';
import { date, maybeDate, text } from './record-table';

/** Camunda's `HistoricTaskInstance` as `hi_task_instance` keeps it (user tasks of process instances). */
export interface HistoricTaskRecord {
  readonly id: string;
  readonly processDefinitionKey: string;
  readonly processDefinitionId: string;
  readonly processInstanceId: string;
  readonly rootProcessInstanceId: string | null;
  readonly executionId: string;
  readonly activityInstanceId: string;
  readonly taskDefinitionKey: string;
  readonly name: string | null;
  readonly assignee: string | null;
  readonly owner: string | null;
  readonly priority: number;
  readonly due: Date | null;
  readonly followUp: Date | null;
  readonly tenantId: string | null;
  readonly startTime: Date;
  readonly endTime: Date | null;
  /** `completed` or `deleted` once the task ended. */
  readonly deleteReason: string | null;
  /** `Created`, `Updated`, `Completed` or `Deleted`. */
  readonly taskState: string;
}

/**
 * The filters of `GET|POST /history/task` that this service's task model can answer (Camunda's
 * HistoricTaskInstanceQueryDto, a subset). `matchesNothing`: a filter no task here can satisfy (a case,
 * a parent task, a description) was given.
 */
export interface HistoricTaskQuery {
  readonly taskId?: string;
  readonly processInstanceId?: string;
  readonly rootProcessInstanceId?: string;
  readonly processInstanceBusinessKey?: string;
  readonly processInstanceBusinessKeyIn?: readonly string[];
  readonly processInstanceBusinessKeyLike?: string;
  readonly executionId?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly processDefinitionName?: string;
  readonly activityInstanceIdIn?: readonly string[];
  readonly taskName?: string;
  readonly taskNameLike?: string;
  readonly taskDefinitionKey?: string;
  readonly taskDefinitionKeyIn?: readonly string[];
  readonly taskDeleteReason?: string;
  readonly taskDeleteReasonLike?: string;
  readonly assigned?: boolean;
  readonly unassigned?: boolean;
  readonly taskAssignee?: string;
  readonly taskAssigneeLike?: string;
  readonly taskOwner?: string;
  readonly taskOwnerLike?: string;
  readonly taskPriority?: number;
  readonly finished?: boolean;
  readonly unfinished?: boolean;
  readonly processFinished?: boolean;
  readonly processUnfinished?: boolean;
  readonly taskDueDate?: Date;
  readonly taskDueDateBefore?: Date;
  readonly taskDueDateAfter?: Date;
  readonly withoutTaskDueDate?: boolean;
  readonly taskFollowUpDate?: Date;
  readonly taskFollowUpDateBefore?: Date;
  readonly taskFollowUpDateAfter?: Date;
  readonly startedBefore?: Date;
  readonly startedAfter?: Date;
  readonly finishedBefore?: Date;
  readonly finishedAfter?: Date;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly matchesNothing?: boolean;
}

const DURATION = 'TIMESTAMPDIFF(MICROSECOND, t.start_time, t.end_time)';

/** Camunda's sort keys of the historic task query; case and description keys sort nothing here (all null). */
export const HISTORIC_TASK_SORT_COLUMNS = {
  taskId: 't.id',
  activityInstanceId: 't.activity_instance_id',
  processDefinitionId: 't.definition_id',
  processInstanceId: 't.process_instance_id',
  executionId: 't.execution_id',
  duration: DURATION,
  endTime: 't.end_time',
  startTime: 't.start_time',
  taskName: 't.name',
  taskDescription: 'NULL',
  assignee: 't.assignee',
  owner: 't.owner',
  dueDate: 't.due',
  followUpDate: 't.follow_up',
  deleteReason: 't.delete_reason',
  taskDefinitionKey: 't.task_definition_key',
  priority: 't.priority',
  caseDefinitionId: 'NULL',
  caseInstanceId: 'NULL',
  caseExecutionId: 'NULL',
  tenantId: 't.tenant_id',
} as const;

export type HistoricTaskSortKey = keyof typeof HISTORIC_TASK_SORT_COLUMNS;

const FROM = `hi_task_instance t
  LEFT JOIN hi_process_instance p ON p.id = t.process_instance_id
  LEFT JOIN re_process_definition d ON d.id = t.definition_id`;

type Row = Record<string, unknown>;

const toRecord = (row: Row): HistoricTaskRecord => ({
  id: String(row.id),
  processDefinitionKey: String(row.definition_key),
  processDefinitionId: String(row.definition_id),
  processInstanceId: String(row.process_instance_id),
  rootProcessInstanceId: text(row.root_process_instance_id),
  executionId: String(row.execution_id),
  activityInstanceId: String(row.activity_instance_id),
  taskDefinitionKey: String(row.task_definition_key),
  name: text(row.name),
  assignee: text(row.assignee),
  owner: text(row.owner),
  priority: Number(row.priority),
  due: maybeDate(row.due),
  followUp: maybeDate(row.follow_up),
  tenantId: text(row.tenant_id),
  startTime: date(row.start_time),
  endTime: maybeDate(row.end_time),
  deleteReason: text(row.delete_reason),
  taskState: String(row.state),
});

/** Reads of task history (`hi_task_instance`, written with the instances' other history rows). */
export class HistoricTaskRepository {
  async query(
    sql: Sql,
    query: HistoricTaskQuery,
    page?: Page,
    sorting: Sorting<HistoricTaskSortKey>[] = [],
  ): Promise<HistoricTaskRecord[]> {
    const where = conditions(query);
    const rows = await sql.select(
      `SELECT t.* FROM ${FROM}${where}${orderAndPage(sorting, HISTORIC_TASK_SORT_COLUMNS, 't.id ASC', page)}`,
      where.params,
    );
    return rows.map(toRecord);
  }

  async count(sql: Sql, query: HistoricTaskQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select(`SELECT COUNT(*) AS n FROM ${FROM}${where}`, where.params);
    return Number(row?.n ?? 0);
  }
}

function conditions(query: HistoricTaskQuery): Conditions {
  const where = new Conditions()
    .when(query.taskId, 't.id = ?')
    .when(query.processInstanceId, 't.process_instance_id = ?')
    .when(query.rootProcessInstanceId, 't.root_process_instance_id = ?')
    .when(query.processInstanceBusinessKey, 'p.business_key = ?')
    .whenIn(query.processInstanceBusinessKeyIn, 'p.business_key')
    .when(query.processInstanceBusinessKeyLike, 'p.business_key LIKE ?')
    .when(query.executionId, 't.execution_id = ?')
    .when(query.processDefinitionId, 't.definition_id = ?')
    .when(query.processDefinitionKey, 't.definition_key = ?')
    .when(query.processDefinitionName, 'd.name = ?')
    .whenIn(query.activityInstanceIdIn, 't.activity_instance_id')
    .when(query.taskName, 't.name = ?')
    .when(query.taskNameLike, 't.name LIKE ?')
    .when(query.taskDefinitionKey, 't.task_definition_key = ?')
    .whenIn(query.taskDefinitionKeyIn, 't.task_definition_key')
    .when(query.taskDeleteReason, 't.delete_reason = ?')
    .when(query.taskDeleteReasonLike, 't.delete_reason LIKE ?')
    .when(query.taskAssignee, 't.assignee = ?')
    .when(query.taskAssigneeLike, 't.assignee LIKE ?')
    .when(query.taskOwner, 't.owner = ?')
    .when(query.taskOwnerLike, 't.owner LIKE ?')
    .when(query.taskPriority, 't.priority = ?')
    .when(query.taskDueDate, 't.due = ?')
    .when(query.taskDueDateBefore, 't.due < ?')
    .when(query.taskDueDateAfter, 't.due > ?')
    .when(query.taskFollowUpDate, 't.follow_up = ?')
    .when(query.taskFollowUpDateBefore, 't.follow_up < ?')
    .when(query.taskFollowUpDateAfter, 't.follow_up > ?')
    .when(query.startedBefore, 't.start_time <= ?')
    .when(query.startedAfter, 't.start_time >= ?')
    .when(query.finishedBefore, 't.end_time <= ?')
    .when(query.finishedAfter, 't.end_time >= ?');
  if (query.assigned) where.add('t.assignee IS NOT NULL');
  if (query.unassigned) where.add('t.assignee IS NULL');
  if (query.finished) where.add('t.end_time IS NOT NULL');
  if (query.unfinished) where.add('t.end_time IS NULL');
  if (query.processFinished) where.add('p.end_time IS NOT NULL');
  if (query.processUnfinished) where.add('p.end_time IS NULL');
  if (query.withoutTaskDueDate) where.add('t.due IS NULL');
  if (query.matchesNothing) where.add('1 = 0');
  return tenantConditions(where, query.tenantIdIn, query.withoutTenantId, false, 't.tenant_id');
}
