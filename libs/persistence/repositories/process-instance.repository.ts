import { Conditions, orderAndPage, placeholders, type Page, type Sorting, type Sql } from '../sql';
import { tenantConditions } from './deployment.repository';
import { eventSubscriptions, externalTasks, tasks, timerRows } from './instance-tables';

/** The records of an instance's state that operations address by id (to change their instance). */
export type InstanceRecordKind = 'task' | 'externalTask' | 'eventSubscription' | 'job';

const RECORD_TABLE_OF = {
  task: tasks,
  externalTask: externalTasks,
  eventSubscription: eventSubscriptions,
  job: timerRows,
} as const satisfies Record<InstanceRecordKind, { readonly table: string }>;

/** Operators of Camunda's variable filters (`name_op_value` in GET, `{name, operator, value}` in POST). */
export type VariableOperator = 'eq' | 'neq' | 'gt' | 'gteq' | 'lt' | 'lteq' | 'like';

export interface VariableFilter {
  readonly name: string;
  readonly operator: VariableOperator;
  /** A JSON scalar: string, number, boolean or null. */
  readonly value: string | number | boolean | null;
}

/** The filters of `GET|POST /process-instance` (and of `processInstanceQuery` in batch requests). */
export interface ProcessInstanceQuery {
  readonly processInstanceIds?: readonly string[];
  readonly businessKey?: string;
  readonly businessKeyLike?: string;
  readonly processDefinitionId?: string;
  /** Instances of any of these definitions (internal: used by deployment deletion). */
  readonly processDefinitionIdIn?: readonly string[];
  readonly processDefinitionKey?: string;
  readonly processDefinitionKeyIn?: readonly string[];
  readonly processDefinitionKeyNotIn?: readonly string[];
  readonly deploymentId?: string;
  readonly activityIdIn?: readonly string[];
  /** Instances called by this instance's call activities. */
  readonly superProcessInstance?: string;
  /** The instance whose call activity called this instance. */
  readonly subProcessInstance?: string;
  /** Only instances no call activity started (`true`); `false` is no filter, as in Camunda. */
  readonly rootProcessInstances?: boolean;
  /** Only instances that call no other instance (`true`). */
  readonly leafProcessInstances?: boolean;
  /** The instances of one call hierarchy, its root included. */
  readonly rootProcessInstanceId?: string;
  readonly suspended?: boolean;
  readonly active?: boolean;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly processDefinitionWithoutTenantId?: boolean;
  readonly variables?: readonly VariableFilter[];
  readonly variableNamesIgnoreCase?: boolean;
  readonly variableValuesIgnoreCase?: boolean;
}

export type ProcessInstanceSortKey =
  'instanceId' | 'definitionKey' | 'definitionId' | 'tenantId' | 'businessKey';

const SORT_COLUMNS: Record<ProcessInstanceSortKey, string> = {
  instanceId: 'p.id',
  definitionKey: 'p.definition_key',
  definitionId: 'p.definition_id',
  tenantId: 'p.tenant_id',
  businessKey: 'p.business_key',
};

/** A running process instance as listed by queries (the row of `ru_process_instance`). */
export interface ProcessInstanceRecord {
  readonly id: string;
  readonly definitionId: string;
  readonly definitionKey: string;
  readonly businessKey: string | null;
  readonly tenantId: string | null;
  readonly suspended: boolean;
  readonly startTime: Date;
}

type Row = {
  id: string;
  definition_id: string;
  definition_key: string;
  business_key: string | null;
  tenant_id: string | null;
  suspended: number;
  start_time: Date;
};

const toRecord = (row: Row): ProcessInstanceRecord => ({
  id: row.id,
  definitionId: row.definition_id,
  definitionKey: row.definition_key,
  businessKey: row.business_key,
  tenantId: row.tenant_id,
  suspended: Boolean(row.suspended),
  startTime: row.start_time,
});

const SQL_OPERATORS: Record<Exclude<VariableOperator, 'like'>, string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gteq: '>=',
  lt: '<',
  lteq: '<=',
};

/** Queries over running process instances. */
export class ProcessInstanceRepository {
  async query(
    sql: Sql,
    query: ProcessInstanceQuery,
    page?: Page,
    sorting: Sorting<ProcessInstanceSortKey>[] = [],
  ): Promise<ProcessInstanceRecord[]> {
    const where = processInstanceConditions(query);
    const rows = await sql.select<Row>(
      `SELECT p.id, p.definition_id, p.definition_key, p.business_key, p.tenant_id, p.suspended, p.start_time
         FROM ru_process_instance p${where}${orderAndPage(sorting, SORT_COLUMNS, 'p.id ASC', page)}`,
      where.params,
    );
    return rows.map(toRecord);
  }

  async count(sql: Sql, query: ProcessInstanceQuery): Promise<number> {
    const where = processInstanceConditions(query);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ru_process_instance p${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }

  async find(sql: Sql, id: string): Promise<ProcessInstanceRecord | undefined> {
    return (await this.query(sql, { processInstanceIds: [id] }))[0];
  }

  /** Whether any instance runs on one of the definitions (blocks deleting a deployment without cascade). */
  async countByDefinitions(sql: Sql, definitionIds: readonly string[]): Promise<number> {
    if (definitionIds.length === 0) return 0;
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ru_process_instance WHERE definition_id IN (${placeholders(definitionIds.length)})`,
      definitionIds,
    );
    return Number(row?.n ?? 0);
  }

  /** The running instances that the call activity instances `activityInstanceIds` called. */
  async calledBy(sql: Sql, activityInstanceIds: readonly string[]): Promise<string[]> {
    if (activityInstanceIds.length === 0) return [];
    const rows = await sql.select<{ id: string }>(
      `SELECT id FROM ru_process_instance WHERE super_activity_instance_id IN (${placeholders(activityInstanceIds.length)})`,
      activityInstanceIds,
    );
    return rows.map((row) => row.id);
  }

  /** Id of the instance a task, external task, subscription or job belongs to. */
  async instanceIdOf(sql: Sql, kind: InstanceRecordKind, id: string): Promise<string | undefined> {
    const rows = await sql.select<{ process_instance_id: string | null }>(
      `SELECT process_instance_id FROM ${RECORD_TABLE_OF[kind].table} WHERE id = ?`,
      [id],
    );
    return rows[0]?.process_instance_id ?? undefined;
  }
}

/**
 * The WHERE clause of a process-instance query over `ru_process_instance p`. Shared by list/count and
 * by batch selection (`INSERT … SELECT`), so a selection means the same everywhere.
 */
export function processInstanceConditions(query: ProcessInstanceQuery): Conditions {
  const where = new Conditions()
    .whenIn(query.processInstanceIds, 'p.id')
    .when(query.businessKey, 'p.business_key = ?')
    .when(query.businessKeyLike, 'p.business_key LIKE ?')
    .when(query.processDefinitionId, 'p.definition_id = ?')
    .whenIn(query.processDefinitionIdIn, 'p.definition_id')
    .when(query.processDefinitionKey, 'p.definition_key = ?')
    .whenIn(query.processDefinitionKeyIn, 'p.definition_key');
  if (query.processDefinitionKeyNotIn?.length) {
    where.add(
      `p.definition_key NOT IN (${placeholders(query.processDefinitionKeyNotIn.length)})`,
      ...query.processDefinitionKeyNotIn,
    );
  }
  if (query.deploymentId !== undefined) {
    where.add(
      'p.definition_id IN (SELECT d.id FROM re_process_definition d WHERE d.deployment_id = ?)',
      query.deploymentId,
    );
  }
  if (query.activityIdIn?.length === 0) where.add('1 = 0');
  else if (query.activityIdIn !== undefined) {
    where.add(
      `EXISTS (SELECT 1 FROM ru_activity_instance a WHERE a.process_instance_id = p.id AND a.activity_id IN (${placeholders(query.activityIdIn.length)}))`,
      ...query.activityIdIn,
    );
  }
  callHierarchyConditions(where, query);
  if (query.suspended) where.add('p.suspended = 1');
  if (query.active) where.add('p.suspended = 0');
  if (query.processDefinitionWithoutTenantId) {
    where.add('p.definition_id IN (SELECT d.id FROM re_process_definition d WHERE d.tenant_id IS NULL)');
  }
  tenantConditions(where, query.tenantIdIn, query.withoutTenantId, false, 'p.tenant_id');
  for (const filter of query.variables ?? []) addVariableCondition(where, filter, query);
  return where;
}

function callHierarchyConditions(where: Conditions, query: ProcessInstanceQuery): void {
  where.when(query.superProcessInstance, 'p.super_process_instance_id = ?');
  if (query.subProcessInstance !== undefined) {
    where.add(
      'p.id IN (SELECT s.super_process_instance_id FROM ru_process_instance s WHERE s.id = ?)',
      query.subProcessInstance,
    );
  }
  if (query.rootProcessInstances) where.add('p.super_process_instance_id IS NULL');
  if (query.leafProcessInstances) {
    where.add('NOT EXISTS (SELECT 1 FROM ru_process_instance s WHERE s.super_process_instance_id = p.id)');
  }
  if (query.rootProcessInstanceId !== undefined) {
    where.add(
      '(p.root_process_instance_id = ? OR (p.id = ? AND p.root_process_instance_id IS NULL))',
      query.rootProcessInstanceId,
      query.rootProcessInstanceId,
    );
  }
}

function addVariableCondition(where: Conditions, filter: VariableFilter, query: ProcessInstanceQuery): void {
  const name = query.variableNamesIgnoreCase ? 'LOWER(v.name) = LOWER(?)' : 'v.name = ?';
  const [comparison, params] = valueComparison(filter, query.variableValuesIgnoreCase ?? false);
  where.add(
    `EXISTS (SELECT 1 FROM ru_variable v WHERE v.process_instance_id = p.id AND v.scope_id = p.id AND ${name} AND ${comparison})`,
    filter.name,
    ...params,
  );
}

/** Compares by the stored column that fits the filter value: text for strings, number for numbers/booleans. */
function valueComparison(filter: VariableFilter, ignoreCase: boolean): [string, unknown[]] {
  const { operator, value } = filter;
  if (value === null) return operator === 'neq' ? ["v.type <> 'Null'", []] : ["v.type = 'Null'", []];
  if (typeof value === 'string') {
    const column = ignoreCase ? 'LOWER(v.text_value)' : 'v.text_value';
    const param = ignoreCase ? value.toLowerCase() : value;
    const op = operator === 'like' ? 'LIKE' : SQL_OPERATORS[operator];
    return [`v.type IN ('String', 'Date') AND ${column} ${op} ?`, [param]];
  }
  const number = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  const types = typeof value === 'boolean' ? "('Boolean')" : "('Integer', 'Long', 'Short', 'Double')";
  const op = operator === 'like' ? '=' : SQL_OPERATORS[operator];
  return [`v.type IN ${types} AND v.number_value ${op} ?`, [number]];
}
