import { Conditions, orderAndPage, placeholders, type Page, type Sorting, type Sql } from '../sql';
import { tenantConditions } from './deployment.repository';

/** Camunda's historic process-instance states (`SUSPENDED` while the running instance is suspended). */
export type HistoricProcessInstanceState =
  'ACTIVE' | 'SUSPENDED' | 'COMPLETED' | 'EXTERNALLY_TERMINATED' | 'INTERNALLY_TERMINATED';

/** The filters of `GET /history/process-instance` (Camunda's HistoricProcessInstanceQueryDto, a subset). */
export interface HistoricProcessInstanceQuery {
  readonly processInstanceId?: string;
  readonly processInstanceIds?: readonly string[];
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly processDefinitionKeyIn?: readonly string[];
  readonly processDefinitionName?: string;
  readonly processInstanceBusinessKey?: string;
  readonly processInstanceBusinessKeyLike?: string;
  /** Only `true` filters: ended instances. */
  readonly finished?: boolean;
  /** Only `true` filters: instances still running. */
  readonly unfinished?: boolean;
  readonly startedBefore?: Date;
  readonly startedAfter?: Date;
  readonly finishedBefore?: Date;
  readonly finishedAfter?: Date;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly state?: HistoricProcessInstanceState;
  /** Instances called by this instance's call activities. */
  readonly superProcessInstanceId?: string;
  /** The instance whose call activity called this one. */
  readonly subProcessInstanceId?: string;
  /** The instances of one call hierarchy, its root included. */
  readonly rootProcessInstanceId?: string;
}

export type HistoricProcessInstanceSortKey =
  | 'instanceId'
  | 'definitionId'
  | 'definitionKey'
  | 'definitionName'
  | 'definitionVersion'
  | 'businessKey'
  | 'startTime'
  | 'endTime'
  | 'duration'
  | 'tenantId';

/** A process instance as history knows it, with its definition's name and version. */
export interface HistoricProcessInstanceRecord {
  readonly id: string;
  readonly businessKey: string | null;
  readonly definitionId: string;
  readonly definitionKey: string;
  /** `null` when the definition has been deleted since. */
  readonly definitionName: string | null;
  readonly definitionVersion: number | null;
  readonly startTime: Date;
  readonly endTime: Date | null;
  readonly startActivityId: string | null;
  readonly deleteReason: string | null;
  readonly tenantId: string | null;
  readonly state: HistoricProcessInstanceState;
  /** The calling instance; `null` unless a call activity started this one. */
  readonly superProcessInstanceId: string | null;
  /** The root of its call hierarchy: itself unless a call activity started it. */
  readonly rootProcessInstanceId: string;
  /** The ended instance a restart started this one from; `null` unless restarted. */
  readonly restartedProcessInstanceId: string | null;
}

/** The state history reports: a running instance that is suspended is `SUSPENDED`. */
const STATE = "CASE WHEN h.end_time IS NULL AND r.suspended = 1 THEN 'SUSPENDED' ELSE h.state END";
/** Rows written before call activities existed have no root: they are their own. */
const ROOT = 'COALESCE(h.root_process_instance_id, h.id)';
const DURATION = 'TIMESTAMPDIFF(MICROSECOND, h.start_time, h.end_time)';

const FROM = `hi_process_instance h
  LEFT JOIN re_process_definition d ON d.id = h.definition_id
  LEFT JOIN ru_process_instance r ON r.id = h.id`;

const SORT_COLUMNS: Record<HistoricProcessInstanceSortKey, string> = {
  instanceId: 'h.id',
  definitionId: 'h.definition_id',
  definitionKey: 'h.definition_key',
  definitionName: 'd.name',
  definitionVersion: 'd.version',
  businessKey: 'h.business_key',
  startTime: 'h.start_time',
  endTime: 'h.end_time',
  duration: DURATION,
  tenantId: 'h.tenant_id',
};

type Row = {
  id: string;
  business_key: string | null;
  definition_id: string;
  definition_key: string;
  definition_name: string | null;
  definition_version: number | null;
  start_time: Date;
  end_time: Date | null;
  start_activity_id: string | null;
  delete_reason: string | null;
  tenant_id: string | null;
  reported_state: HistoricProcessInstanceState;
  super_process_instance_id: string | null;
  root_id: string;
  restarted_process_instance_id: string | null;
};

/** Queries over process-instance history (running and ended instances). */
export class HistoricProcessInstanceRepository {
  async query(
    sql: Sql,
    query: HistoricProcessInstanceQuery,
    page?: Page,
    sorting: Sorting<HistoricProcessInstanceSortKey>[] = [],
  ): Promise<HistoricProcessInstanceRecord[]> {
    const where = conditions(query);
    const rows = await sql.select<Row>(
      `SELECT h.id, h.business_key, h.definition_id, h.definition_key, d.name AS definition_name,
              d.version AS definition_version, h.start_time, h.end_time, h.start_activity_id,
              h.delete_reason, h.tenant_id, ${STATE} AS reported_state, h.super_process_instance_id,
              ${ROOT} AS root_id, h.restarted_process_instance_id
         FROM ${FROM}${where}${orderAndPage(sorting, SORT_COLUMNS, 'h.id ASC', page)}`,
      where.params,
    );
    return rows.map((row) => ({
      id: row.id,
      businessKey: row.business_key,
      definitionId: row.definition_id,
      definitionKey: row.definition_key,
      definitionName: row.definition_name,
      definitionVersion: row.definition_version === null ? null : Number(row.definition_version),
      startTime: row.start_time,
      endTime: row.end_time,
      startActivityId: row.start_activity_id,
      deleteReason: row.delete_reason,
      tenantId: row.tenant_id,
      state: row.reported_state,
      superProcessInstanceId: row.super_process_instance_id,
      rootProcessInstanceId: row.root_id,
      restartedProcessInstanceId: row.restarted_process_instance_id,
    }));
  }

  /** The ids of the instances `query` selects, in id order. */
  async ids(sql: Sql, query: HistoricProcessInstanceQuery): Promise<string[]> {
    const where = conditions(query);
    const rows = await sql.select<{ id: string }>(
      `SELECT h.id FROM ${FROM}${where} ORDER BY h.id`,
      where.params,
    );
    return rows.map((row) => row.id);
  }

  async count(sql: Sql, query: HistoricProcessInstanceQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${FROM}${where}`, where.params);
    return Number(row?.n ?? 0);
  }

  /** Of `ids`, those in history, each with whether it has ended. */
  async endedOf(sql: Sql, ids: readonly string[]): Promise<Map<string, boolean>> {
    if (ids.length === 0) return new Map();
    const rows = await sql.select<{ id: string; ended: number }>(
      `SELECT id, end_time IS NOT NULL AS ended FROM hi_process_instance WHERE id IN (${placeholders(ids.length)})`,
      [...ids],
    );
    return new Map(rows.map((row) => [row.id, Number(row.ended) === 1]));
  }

  /**
   * Deletes the history of ended instances: their activity instances, tasks, incidents, job log, variable
   * instances and details, and the instance row. The user operation log stays (as in Camunda).
   */
  async remove(sql: Sql, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const list = placeholders(ids.length);
    for (const table of [
      'hi_activity_instance',
      'hi_task_instance',
      'hi_incident',
      'hi_job_log',
      'hi_detail',
      'hi_variable_instance',
    ]) {
      await sql.execute(`DELETE FROM ${table} WHERE process_instance_id IN (${list})`, [...ids]);
    }
    await sql.execute(`DELETE FROM hi_process_instance WHERE id IN (${list})`, [...ids]);
  }

  async find(sql: Sql, id: string): Promise<HistoricProcessInstanceRecord | undefined> {
    return (await this.query(sql, { processInstanceId: id }))[0];
  }
}

function conditions(query: HistoricProcessInstanceQuery): Conditions {
  const where = new Conditions()
    .when(query.processInstanceId, 'h.id = ?')
    .whenIn(query.processInstanceIds, 'h.id')
    .when(query.processDefinitionId, 'h.definition_id = ?')
    .when(query.processDefinitionKey, 'h.definition_key = ?')
    .whenIn(query.processDefinitionKeyIn, 'h.definition_key')
    .when(query.processDefinitionName, 'd.name = ?')
    .when(query.processInstanceBusinessKey, 'h.business_key = ?')
    .when(query.processInstanceBusinessKeyLike, 'h.business_key LIKE ?')
    .when(query.startedBefore, 'h.start_time <= ?')
    .when(query.startedAfter, 'h.start_time >= ?')
    .when(query.finishedBefore, 'h.end_time <= ?')
    .when(query.finishedAfter, 'h.end_time >= ?')
    .when(query.state, `${STATE} = ?`)
    .when(query.superProcessInstanceId, 'h.super_process_instance_id = ?')
    .when(query.rootProcessInstanceId, `${ROOT} = ?`);
  if (query.subProcessInstanceId !== undefined) {
    where.add(
      'h.id IN (SELECT s.super_process_instance_id FROM hi_process_instance s WHERE s.id = ?)',
      query.subProcessInstanceId,
    );
  }
  if (query.finished) where.add('h.end_time IS NOT NULL');
  if (query.unfinished) where.add('h.end_time IS NULL');
  return tenantConditions(where, query.tenantIdIn, query.withoutTenantId, false, 'h.tenant_id');
}
