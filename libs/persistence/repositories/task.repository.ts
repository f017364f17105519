import type { Task } from '@libs/engine';
import { Conditions, orderAndPage, type Page, type Row, type Sorting, type Sql } from '../sql';
import { tenantConditions } from './deployment.repository';
import { tasks } from './instance-tables';

/**
 * The filters of `GET|POST /task` (Camunda's `TaskQueryDto`, the subset this engine has data for).
 * Boolean flags only filter when `true`, as in Camunda. Candidate filters match only unassigned tasks
 * unless `includeAssignedTasks` is set.
 */
export interface TaskQuery {
  readonly taskId?: string;
  readonly taskIdIn?: readonly string[];
  readonly processInstanceId?: string;
  readonly processInstanceIdIn?: readonly string[];
  readonly processInstanceBusinessKey?: string;
  readonly processInstanceBusinessKeyIn?: readonly string[];
  readonly processInstanceBusinessKeyLike?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly processDefinitionKeyIn?: readonly string[];
  readonly executionId?: string;
  readonly activityInstanceIdIn?: readonly string[];
  readonly taskDefinitionKey?: string;
  readonly taskDefinitionKeyIn?: readonly string[];
  readonly name?: string;
  readonly nameLike?: string;
  readonly assignee?: string;
  readonly assigneeLike?: string;
  readonly assigneeIn?: readonly string[];
  readonly assigned?: boolean;
  readonly unassigned?: boolean;
  readonly candidateUser?: string;
  readonly candidateGroup?: string;
  readonly candidateGroups?: readonly string[];
  readonly includeAssignedTasks?: boolean;
  readonly withCandidateGroups?: boolean;
  readonly withoutCandidateGroups?: boolean;
  readonly withCandidateUsers?: boolean;
  readonly withoutCandidateUsers?: boolean;
  readonly priority?: number;
  readonly minPriority?: number;
  readonly maxPriority?: number;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly active?: boolean;
  readonly suspended?: boolean;
}

export type TaskSortKey =
  | 'id'
  | 'name'
  | 'nameCaseInsensitive'
  | 'assignee'
  | 'created'
  | 'lastUpdated'
  | 'dueDate'
  | 'followUpDate'
  | 'priority'
  | 'instanceId'
  | 'executionId'
  | 'tenantId';

const SORT_COLUMNS: Record<TaskSortKey, string> = {
  id: 't.id',
  name: 't.name',
  nameCaseInsensitive: 'LOWER(t.name)',
  assignee: 't.assignee',
  created: 't.created',
  lastUpdated: 't.last_updated',
  dueDate: 't.due',
  followUpDate: 't.follow_up',
  priority: 't.priority',
  instanceId: 't.process_instance_id',
  executionId: 't.execution_id',
  tenantId: 'p.tenant_id',
};

/** A task as listed by queries: the engine's record plus what it inherits from its process instance. */
export interface TaskRecord extends Task {
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  readonly tenantId: string | null;
  readonly suspended: boolean;
}

const FROM = 'FROM ru_task t JOIN ru_process_instance p ON p.id = t.process_instance_id';

/** Queries over open user tasks (writes go through the instance store with the rest of the instance). */
export class TaskRepository {
  async query(
    sql: Sql,
    query: TaskQuery,
    page?: Page,
    sorting: ReadonlyArray<Sorting<TaskSortKey>> = [],
  ): Promise<TaskRecord[]> {
    const where = taskConditions(query);
    const rows = await sql.select(
      `SELECT t.*, p.definition_id AS pi_definition_id, p.definition_key AS pi_definition_key,
              p.business_key AS pi_business_key, p.tenant_id AS pi_tenant_id, p.suspended AS pi_suspended
         ${FROM}${where}${orderAndPage(sorting, SORT_COLUMNS, 't.id ASC', page)}`,
      where.params,
    );
    return rows.map(toRecord);
  }

  async count(sql: Sql, query: TaskQuery): Promise<number> {
    const where = taskConditions(query);
    const [row] = await sql.select<{ n: number }>(`SELECT COUNT(*) AS n ${FROM}${where}`, where.params);
    return Number(row?.n ?? 0);
  }

  async find(sql: Sql, id: string): Promise<TaskRecord | undefined> {
    return (await this.query(sql, { taskId: id }))[0];
  }
}

function toRecord(row: Row): TaskRecord {
  return {
    ...tasks.fromRow(row),
    processInstanceId: String(row.process_instance_id),
    processDefinitionId: String(row.pi_definition_id),
    processDefinitionKey: String(row.pi_definition_key),
    businessKey: row.pi_business_key === null ? null : String(row.pi_business_key),
    tenantId: row.pi_tenant_id === null ? null : String(row.pi_tenant_id),
    suspended: Boolean(row.pi_suspended),
  };
}

/** The WHERE clause of a task query over `ru_task t JOIN ru_process_instance p`. */
function taskConditions(query: TaskQuery): Conditions {
  const where = new Conditions()
    .when(query.taskId, 't.id = ?')
    .whenIn(query.taskIdIn, 't.id')
    .when(query.processInstanceId, 't.process_instance_id = ?')
    .whenIn(query.processInstanceIdIn, 't.process_instance_id')
    .when(query.processInstanceBusinessKey, 'p.business_key = ?')
    .whenIn(query.processInstanceBusinessKeyIn, 'p.business_key')
    .when(query.processInstanceBusinessKeyLike, 'p.business_key LIKE ?')
    .when(query.processDefinitionId, 'p.definition_id = ?')
    .when(query.processDefinitionKey, 'p.definition_key = ?')
    .whenIn(query.processDefinitionKeyIn, 'p.definition_key')
    .when(query.executionId, 't.execution_id = ?')
    .whenIn(query.activityInstanceIdIn, 't.activity_instance_id')
    .when(query.taskDefinitionKey, 't.task_definition_key = ?')
    .whenIn(query.taskDefinitionKeyIn, 't.task_definition_key')
    .when(query.name, 't.name = ?')
    .when(query.nameLike, 't.name LIKE ?')
    .when(query.assignee, 't.assignee = ?')
    .when(query.assigneeLike, 't.assignee LIKE ?')
    .whenIn(query.assigneeIn, 't.assignee')
    .when(query.priority, 't.priority = ?')
    .when(query.minPriority, 't.priority >= ?')
    .when(query.maxPriority, 't.priority <= ?');
  if (query.assigned) where.add('t.assignee IS NOT NULL');
  if (query.unassigned) where.add('t.assignee IS NULL');
  candidateConditions(where, query);
  if (query.active) where.add('p.suspended = 0');
  if (query.suspended) where.add('p.suspended = 1');
  return tenantConditions(where, query.tenantIdIn, query.withoutTenantId, false, 'p.tenant_id');
}

/**
 * Candidate lists are JSON arrays in TEXT columns; `JSON_CONTAINS(col, JSON_QUOTE(?))` matches one
 * entry on MariaDB 10.11 and MySQL 8 alike.
 */
function candidateConditions(where: Conditions, query: TaskQuery): void {
  const contains = (column: string) => `JSON_CONTAINS(${column}, JSON_QUOTE(?))`;
  where.when(query.candidateUser, contains('t.candidate_users'));
  where.when(query.candidateGroup, contains('t.candidate_groups'));
  if (query.candidateGroups !== undefined) {
    const groups = query.candidateGroups;
    if (groups.length === 0) where.add('1 = 0');
    else where.add(`(${groups.map(() => contains('t.candidate_groups')).join(' OR ')})`, ...groups);
  }
  const byCandidate =
    query.candidateUser !== undefined ||
    query.candidateGroup !== undefined ||
    query.candidateGroups !== undefined;
  if (byCandidate && !query.includeAssignedTasks) where.add('t.assignee IS NULL');
  if (query.withCandidateGroups) where.add('JSON_LENGTH(t.candidate_groups) > 0');
  if (query.withoutCandidateGroups) where.add('JSON_LENGTH(t.candidate_groups) = 0');
  if (query.withCandidateUsers) where.add('JSON_LENGTH(t.candidate_users) > 0');
  if (query.withoutCandidateUsers) where.add('JSON_LENGTH(t.candidate_users) = 0');
}
