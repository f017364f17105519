import type { JobDeclaration } from '@libs/engine';
import {
  Conditions,
  insertRows,
  orderAndPage,
  placeholders,
  type Page,
  type Sorting,
  type Sql,
} from '../../sql';
import { tenantConditions } from '../deployment.repository';

/** A job definition as Camunda's JobDefinitionDto describes it. */
export interface JobDefinitionRecord {
  readonly id: string;
  readonly processDefinitionId: string | null;
  readonly processDefinitionKey: string | null;
  readonly activityId: string | null;
  readonly jobType: string;
  readonly jobConfiguration: string | null;
  readonly overridingJobPriority: number | null;
  readonly suspended: boolean;
  readonly tenantId: string | null;
  readonly deploymentId: string | null;
  /** The batch whose seed, monitor or execution jobs it defines; null for a process definition's. */
  readonly batchId: string | null;
}

/** The filters of `GET|POST /job-definition` (Camunda's JobDefinitionQueryDto); flags filter when true. */
export interface JobDefinitionQuery {
  readonly jobDefinitionId?: string;
  readonly activityIdIn?: readonly string[];
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly jobType?: string;
  readonly jobConfiguration?: string;
  readonly active?: boolean;
  readonly suspended?: boolean;
  readonly withOverridingJobPriority?: boolean;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly includeJobDefinitionsWithoutTenantId?: boolean;
}

export type JobDefinitionSortKey =
  | 'jobDefinitionId'
  | 'activityId'
  | 'processDefinitionId'
  | 'processDefinitionKey'
  | 'jobType'
  | 'jobConfiguration'
  | 'tenantId';

/** Which process-definition job definitions a suspension applies to (exactly one is set). */
export type JobDefinitionSelector =
  | { readonly jobDefinitionId: string }
  | { readonly processDefinitionId: string }
  | {
      readonly processDefinitionKey: string;
      /** Set: only the definitions of this tenant (`null`: without tenant). */
      readonly tenantId?: string | null;
    };

/** A process definition being deployed, as its job definitions need it. */
export interface DeployedDefinition {
  readonly id: string;
  readonly key: string;
  readonly tenantId: string | null;
  readonly deploymentId: string;
}

/** Suspension and priority override of a job definition, as a new job of it takes them. */
export interface JobDefinitionState {
  readonly suspended: boolean;
  readonly overridingPriority: number | null;
}

const COLUMNS =
  'id, process_definition_id, process_definition_key, activity_id, job_type, job_configuration, overriding_priority, suspended, tenant_id, deployment_id, batch_id';

const batchDefinitions = (idColumn: string, jobType: string) =>
  `SELECT b.${idColumn}, NULL, NULL, NULL, ${jobType}, b.id, NULL, b.suspended, b.tenant_id, NULL, b.id FROM ru_batch b`;

/**
 * Every job definition as one relation `d`: the stored ones of process definitions, and the three of
 * each batch (seed, monitor, execution; configuration = the batch id), read from `ru_batch`.
 */
const ALL = `(SELECT ${COLUMNS} FROM (
    SELECT id, process_definition_id, process_definition_key, activity_id, job_type, job_configuration,
           overriding_priority, suspended, tenant_id, deployment_id, NULL AS batch_id FROM ru_job_definition
    UNION ALL ${batchDefinitions('seed_job_definition_id', "'batch-seed-job'")}
    UNION ALL ${batchDefinitions('monitor_job_definition_id', "'batch-monitor-job'")}
    UNION ALL ${batchDefinitions('batch_job_definition_id', 'b.type')}
  ) u) d`;

const SORT_COLUMNS: Record<JobDefinitionSortKey, string> = {
  jobDefinitionId: 'd.id',
  activityId: 'd.activity_id',
  processDefinitionId: 'd.process_definition_id',
  processDefinitionKey: 'd.process_definition_key',
  jobType: 'd.job_type',
  jobConfiguration: 'd.job_configuration',
  tenantId: 'd.tenant_id',
};

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

const toRecord = (row: Record<string, unknown>): JobDefinitionRecord => ({
  id: String(row.id),
  processDefinitionId: text(row.process_definition_id),
  processDefinitionKey: text(row.process_definition_key),
  activityId: text(row.activity_id),
  jobType: String(row.job_type),
  jobConfiguration: text(row.job_configuration),
  overridingJobPriority: row.overriding_priority === null ? null : Number(row.overriding_priority),
  suspended: Number(row.suspended) === 1,
  tenantId: text(row.tenant_id),
  deploymentId: text(row.deployment_id),
  batchId: text(row.batch_id),
});

function conditions(query: JobDefinitionQuery): Conditions {
  const where = new Conditions()
    .when(query.jobDefinitionId, 'd.id = ?')
    .when(query.processDefinitionId, 'd.process_definition_id = ?')
    .when(query.processDefinitionKey, 'd.process_definition_key = ?')
    .when(query.jobType, 'd.job_type = ?')
    .when(query.jobConfiguration, 'd.job_configuration = ?');
  if (query.activityIdIn && query.activityIdIn.length > 0) where.whenIn(query.activityIdIn, 'd.activity_id');
  if (query.active) where.add('d.suspended = 0');
  if (query.suspended) where.add('d.suspended = 1');
  if (query.withOverridingJobPriority) where.add('d.overriding_priority IS NOT NULL');
  return tenantConditions(
    where,
    query.tenantIdIn,
    query.withoutTenantId,
    query.includeJobDefinitionsWithoutTenantId,
    'd.tenant_id',
  );
}

/**
 * The one owner of `ru_job_definition`: the job definitions of process definitions, written at
 * deployment (deleted with their definition by a foreign key), their suspension and priority override.
 * Queries also list each batch's three job definitions, which are read from `ru_batch`.
 */
export class JobDefinitionRepository {
  /** Stores the job definitions each deployed definition declares. */
  async insert(
    sql: Sql,
    definitions: ReadonlyArray<{ definition: DeployedDefinition; declarations: readonly JobDeclaration[] }>,
  ): Promise<void> {
    await insertRows(
      sql,
      'ru_job_definition',
      [
        'id',
        'process_definition_id',
        'process_definition_key',
        'activity_id',
        'job_type',
        'job_configuration',
        'tenant_id',
        'deployment_id',
      ],
      definitions.flatMap(({ definition, declarations }) =>
        declarations.map((declaration) => [
          declaration.id,
          definition.id,
          definition.key,
          declaration.activityId,
          declaration.jobType,
          declaration.jobConfiguration,
          definition.tenantId,
          definition.deploymentId,
        ]),
      ),
    );
  }

  async query(
    sql: Sql,
    query: JobDefinitionQuery,
    page?: Page,
    sorting: Sorting<JobDefinitionSortKey>[] = [],
  ): Promise<JobDefinitionRecord[]> {
    const where = conditions(query);
    const rows = await sql.select(
      `SELECT d.* FROM ${ALL}${where}${orderAndPage(sorting, SORT_COLUMNS, 'd.id ASC', page)}`,
      where.params,
    );
    return rows.map(toRecord);
  }

  async count(sql: Sql, query: JobDefinitionQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${ALL}${where}`, where.params);
    return Number(row?.n ?? 0);
  }

  async find(sql: Sql, id: string): Promise<JobDefinitionRecord | undefined> {
    return (await this.query(sql, { jobDefinitionId: id }))[0];
  }

  /**
   * Suspends or activates the process-definition job definitions `selector` names, locking them until
   * the transaction ends (a new job of them then waits, see {@link lockForNewJobs}); returns their ids.
   */
  async setSuspended(sql: Sql, selector: JobDefinitionSelector, suspended: boolean): Promise<string[]> {
    const where = selectorConditions(selector);
    const rows = await sql.select<{ id: string }>(
      `SELECT id FROM ru_job_definition${where} ORDER BY id FOR UPDATE`,
      where.params,
    );
    const ids = rows.map((row) => row.id);
    if (ids.length > 0) {
      await sql.execute(
        `UPDATE ru_job_definition SET suspended = ? WHERE id IN (${placeholders(ids.length)})`,
        [suspended ? 1 : 0, ...ids],
      );
    }
    return ids;
  }

  /** Sets (or with `null` clears) a job definition's overriding priority; false when there is none. */
  async setOverridingPriority(sql: Sql, id: string, priority: number | null): Promise<boolean> {
    const [row] = await sql.select<{ id: string }>(
      'SELECT id FROM ru_job_definition WHERE id = ? FOR UPDATE',
      [id],
    );
    if (!row) return false;
    await sql.execute('UPDATE ru_job_definition SET overriding_priority = ? WHERE id = ?', [priority, id]);
    return true;
  }

  /**
   * The state of the job definitions that new jobs belong to, share-locked until the transaction ends:
   * a concurrent suspension (or priority override) of one of them waits for the new jobs to commit and
   * then includes them, or commits first and is read here. Every id is locked, not only the suspended
   * or overridden ones, for that reason.
   */
  async lockForNewJobs(sql: Sql, ids: readonly string[]): Promise<Map<string, JobDefinitionState>> {
    if (ids.length === 0) return new Map();
    const unique = [...new Set(ids)].sort();
    const rows = await sql.select<{ id: string; suspended: number; overriding_priority: number | null }>(
      `SELECT id, suspended, overriding_priority FROM ru_job_definition WHERE id IN (${placeholders(unique.length)}) LOCK IN SHARE MODE`,
      unique,
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          suspended: Number(row.suspended) === 1,
          overridingPriority: row.overriding_priority === null ? null : Number(row.overriding_priority),
        },
      ]),
    );
  }
}

function selectorConditions(selector: JobDefinitionSelector): Conditions {
  if ('jobDefinitionId' in selector) return new Conditions().add('id = ?', selector.jobDefinitionId);
  if ('processDefinitionId' in selector) {
    return new Conditions().add('process_definition_id = ?', selector.processDefinitionId);
  }
  const where = new Conditions().add('process_definition_key = ?', selector.processDefinitionKey);
  if (selector.tenantId === null) where.add('tenant_id IS NULL');
  else if (selector.tenantId !== undefined) where.add('tenant_id = ?', selector.tenantId);
  return where;
}
