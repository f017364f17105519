import type { TypedValue } from '@libs/engine';
import { Conditions, orderAndPage, type Page, type Sorting, type Sql } from '../../sql';
import { typedValue } from '../instance-tables';
import { maybeDate, date, text } from '../record-table';

/**
 * A stored value as history shows it: the typed value, or `null` with the variable's type for the
 * detail of a deletion (Camunda clears the value before it writes that detail).
 */
export interface HistoricValue {
  readonly type: string;
  readonly value: TypedValue | null;
}

/** A row of `hi_variable_instance`, as Camunda's HistoricVariableInstanceDto describes it. */
export interface HistoricVariableInstanceRecord {
  readonly id: string;
  readonly name: string;
  readonly value: HistoricValue;
  readonly state: 'CREATED' | 'DELETED';
  readonly createTime: Date;
  readonly processInstanceId: string;
  readonly processDefinitionId: string | null;
  readonly processDefinitionKey: string | null;
  readonly rootProcessInstanceId: string | null;
  readonly tenantId: string | null;
  readonly activityInstanceId: string;
  readonly executionId: string;
}

/** A row of `hi_detail`: one variable update, as Camunda's HistoricVariableUpdateDto describes it. */
export interface HistoricDetailRecord {
  readonly id: string;
  readonly variableInstanceId: string;
  readonly variableName: string;
  readonly value: HistoricValue;
  readonly time: Date;
  readonly revision: number;
  readonly initial: boolean;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly rootProcessInstanceId: string | null;
  readonly tenantId: string | null;
  readonly activityInstanceId: string;
  readonly executionId: string;
}

/**
 * The filters of `GET|POST /history/variable-instance` (Camunda's HistoricVariableInstanceQueryDto).
 * `matchesNothing`: a filter no row here can satisfy (a task, a case) was given.
 */
export interface HistoricVariableInstanceQuery {
  readonly variableId?: string;
  readonly variableName?: string;
  readonly variableNameLike?: string;
  readonly variableNameIn?: readonly string[];
  /** Equality with a String (text), a number (any numeric type) or a Boolean. */
  readonly variableValue?: string | number | boolean;
  readonly variableNamesIgnoreCase?: boolean;
  readonly variableValuesIgnoreCase?: boolean;
  readonly variableTypeIn?: readonly string[];
  readonly includeDeleted?: boolean;
  readonly processInstanceId?: string;
  readonly processInstanceIdIn?: readonly string[];
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly executionIdIn?: readonly string[];
  readonly activityInstanceIdIn?: readonly string[];
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly matchesNothing?: boolean;
}

/** The filters of `GET|POST /history/detail` (Camunda's HistoricDetailQueryDto) for variable updates. */
export interface HistoricDetailQuery {
  readonly detailId?: string;
  readonly processInstanceId?: string;
  readonly processInstanceIdIn?: readonly string[];
  readonly executionId?: string;
  readonly activityInstanceId?: string;
  readonly variableInstanceId?: string;
  readonly variableTypeIn?: readonly string[];
  readonly variableNameLike?: string;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly occurredBefore?: Date;
  readonly occurredAfter?: Date;
  readonly initial?: boolean;
  readonly matchesNothing?: boolean;
}

export const HISTORIC_VARIABLE_INSTANCE_SORT_COLUMNS = {
  instanceId: 'v.process_instance_id',
  variableName: 'v.name',
  tenantId: 'v.tenant_id',
} as const;
export type HistoricVariableInstanceSortKey = keyof typeof HISTORIC_VARIABLE_INSTANCE_SORT_COLUMNS;

export const HISTORIC_DETAIL_SORT_COLUMNS = {
  processInstanceId: 'd.process_instance_id',
  variableName: 'd.name',
  formPropertyId: 'd.name',
  variableType: 'd.type',
  variableRevision: 'd.revision',
  time: 'd.time',
  occurrence: 'd.sequence_counter',
  tenantId: 'd.tenant_id',
} as const;
export type HistoricDetailSortKey = keyof typeof HISTORIC_DETAIL_SORT_COLUMNS;

/** The definition comes from the instance's history row, which follows the instance when it migrates. */
const VARIABLE_FROM =
  'hi_variable_instance v LEFT JOIN hi_process_instance p ON p.id = v.process_instance_id';
const VARIABLE_COLUMNS = 'v.*, p.definition_id, p.definition_key';

/** Case-sensitive equality that can still use the column's (case-insensitive) index. */
const exactly = (column: string) => `${column} = ? AND ${column} = ? COLLATE utf8mb4_bin`;

type Row = Record<string, unknown>;

function historicValue(row: Row): HistoricValue {
  const type = String(row.type);
  const cleared = type !== 'Null' && row.text_value === null && row.number_value === null;
  return { type, value: cleared ? null : typedValue(type, row.text_value, row.number_value) };
}

const toVariable = (row: Row): HistoricVariableInstanceRecord => ({
  id: String(row.id),
  name: String(row.name),
  value: historicValue(row),
  state: row.state === 'DELETED' ? 'DELETED' : 'CREATED',
  createTime: date(row.create_time),
  processInstanceId: String(row.process_instance_id),
  processDefinitionId: text(row.definition_id),
  processDefinitionKey: text(row.definition_key),
  rootProcessInstanceId: text(row.root_process_instance_id),
  tenantId: text(row.tenant_id),
  activityInstanceId: String(row.activity_instance_id),
  executionId: String(row.execution_id),
});

const toDetail = (row: Row): HistoricDetailRecord => ({
  id: String(row.id),
  variableInstanceId: String(row.variable_instance_id),
  variableName: String(row.name),
  value: historicValue(row),
  time: maybeDate(row.time) ?? new Date(0),
  revision: Number(row.revision),
  initial: Number(row.is_initial) === 1,
  processInstanceId: String(row.process_instance_id),
  processDefinitionId: String(row.process_definition_id),
  processDefinitionKey: String(row.process_definition_key),
  rootProcessInstanceId: text(row.root_process_instance_id),
  tenantId: text(row.tenant_id),
  activityInstanceId: String(row.activity_instance_id),
  executionId: String(row.execution_id),
});

/** Reads of variable history: variable instances and their details (variable updates). */
export class VariableHistoryQueries {
  async variables(
    sql: Sql,
    query: HistoricVariableInstanceQuery,
    page?: Page,
    sorting: Sorting<HistoricVariableInstanceSortKey>[] = [],
  ): Promise<HistoricVariableInstanceRecord[]> {
    const where = variableConditions(query);
    const order = orderAndPage(sorting, HISTORIC_VARIABLE_INSTANCE_SORT_COLUMNS, 'v.id ASC', page);
    const rows = await sql.select(
      `SELECT ${VARIABLE_COLUMNS} FROM ${VARIABLE_FROM}${where}${order}`,
      where.params,
    );
    return rows.map(toVariable);
  }

  async countVariables(sql: Sql, query: HistoricVariableInstanceQuery): Promise<number> {
    const where = variableConditions(query);
    const [row] = await sql.select(`SELECT COUNT(*) AS n FROM ${VARIABLE_FROM}${where}`, where.params);
    return Number(row?.n ?? 0);
  }

  async details(
    sql: Sql,
    query: HistoricDetailQuery,
    page?: Page,
    sorting: Sorting<HistoricDetailSortKey>[] = [],
  ): Promise<HistoricDetailRecord[]> {
    const where = detailConditions(query);
    const order = orderAndPage(
      sorting,
      HISTORIC_DETAIL_SORT_COLUMNS,
      'd.sequence_counter ASC, d.id ASC',
      page,
    );
    const rows = await sql.select(`SELECT d.* FROM hi_detail d${where}${order}`, where.params);
    return rows.map(toDetail);
  }

  async countDetails(sql: Sql, query: HistoricDetailQuery): Promise<number> {
    const where = detailConditions(query);
    const [row] = await sql.select(`SELECT COUNT(*) AS n FROM hi_detail d${where}`, where.params);
    return Number(row?.n ?? 0);
  }
}

function variableConditions(query: HistoricVariableInstanceQuery): Conditions {
  const where = new Conditions();
  if (query.matchesNothing === true) return where.add('1 = 0');
  const ignoreNameCase = query.variableNamesIgnoreCase === true;
  where.when(query.variableId, 'v.id = ?');
  if (query.variableName !== undefined) {
    if (ignoreNameCase) where.add('v.name = ?', query.variableName);
    else where.add(exactly('v.name'), query.variableName, query.variableName);
  }
  if (query.variableNameLike !== undefined) {
    where.add(ignoreNameCase ? 'v.name LIKE ?' : 'v.name LIKE ? COLLATE utf8mb4_bin', query.variableNameLike);
  }
  if (query.variableNameIn !== undefined) {
    where.whenIn(query.variableNameIn, 'v.name').whenIn(query.variableNameIn, 'v.name COLLATE utf8mb4_bin');
  }
  if (query.variableValue !== undefined) {
    addValueCondition(where, query.variableValue, query.variableValuesIgnoreCase === true);
  }
  whenTypeIn(where, query.variableTypeIn, 'v.type');
  if (query.includeDeleted !== true) where.add("v.state <> 'DELETED'");
  where
    .when(query.processInstanceId, 'v.process_instance_id = ?')
    .whenIn(query.processInstanceIdIn, 'v.process_instance_id')
    .when(query.processDefinitionId, 'p.definition_id = ?')
    .when(query.processDefinitionKey, 'p.definition_key = ?')
    .whenIn(query.executionIdIn, 'v.execution_id')
    .whenIn(query.activityInstanceIdIn, 'v.activity_instance_id')
    .whenIn(query.tenantIdIn, 'v.tenant_id');
  if (query.withoutTenantId === true) where.add('v.tenant_id IS NULL');
  return where;
}

/** Camunda's value conditions for equality: a string matches String variables, a number numeric ones. */
function addValueCondition(where: Conditions, value: string | number | boolean, ignoreCase: boolean): void {
  if (typeof value === 'string') {
    if (ignoreCase) where.add("v.type = 'String' AND v.text_value = ?", value);
    else where.add("v.type = 'String' AND v.text_value = ? COLLATE utf8mb4_bin", value);
  } else if (typeof value === 'boolean') {
    where.add("v.type = 'Boolean' AND v.number_value = ?", value ? 1 : 0);
  } else {
    where.add("v.type IN ('Integer', 'Long', 'Short', 'Double') AND v.number_value = ?", value);
  }
}

/** Camunda compares lower-cased type names (`string`, `integer`, …). */
function whenTypeIn(where: Conditions, types: readonly string[] | undefined, column: string): void {
  if (types === undefined || types.length === 0) return;
  where.whenIn(
    types.map((type) => type.toLowerCase()),
    `LOWER(${column})`,
  );
}

function detailConditions(query: HistoricDetailQuery): Conditions {
  const where = new Conditions();
  if (query.matchesNothing === true) return where.add('1 = 0');
  where
    .when(query.detailId, 'd.id = ?')
    .when(query.processInstanceId, 'd.process_instance_id = ?')
    .whenIn(query.processInstanceIdIn, 'd.process_instance_id')
    .when(query.executionId, 'd.execution_id = ?')
    .when(query.activityInstanceId, 'd.activity_instance_id = ?')
    .when(query.variableInstanceId, 'd.variable_instance_id = ?')
    .when(query.variableNameLike, 'd.name LIKE ?')
    .whenIn(query.tenantIdIn, 'd.tenant_id')
    .when(query.occurredBefore, 'd.time <= ?')
    .when(query.occurredAfter, 'd.time >= ?');
  whenTypeIn(where, query.variableTypeIn, 'd.type');
  if (query.withoutTenantId === true) where.add('d.tenant_id IS NULL');
  if (query.initial === true) where.add('d.is_initial = 1');
  return where;
}
