import { Conditions, orderAndPage, placeholders, type Page, type Sorting, type Sql } from '../sql';
import { tenantConditions } from './deployment.repository';

/** `gt`/`lt` against a date, Camunda's `dueDates` and `createTimes` conditions. */
export interface DateCondition {
  readonly operator: 'gt' | 'lt';
  readonly value: Date;
}

/**
 * The filters of `GET|POST /job` (Camunda's JobQueryDto). Boolean flags only filter when `true`,
 * as in Camunda.
 */
export interface JobQuery {
  readonly jobId?: string;
  readonly jobIds?: readonly string[];
  readonly jobDefinitionId?: string;
  readonly processInstanceId?: string;
  readonly processInstanceIds?: readonly string[];
  readonly executionId?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly activityId?: string;
  readonly timers?: boolean;
  readonly messages?: boolean;
  readonly withRetriesLeft?: boolean;
  readonly noRetriesLeft?: boolean;
  readonly withException?: boolean;
  readonly exceptionMessage?: string;
  /** Retries left and due (at the `now` the query runs with). */
  readonly executable?: boolean;
  readonly active?: boolean;
  readonly suspended?: boolean;
  readonly dueDates?: readonly DateCondition[];
  readonly createTimes?: readonly DateCondition[];
  readonly priorityHigherThanOrEquals?: number;
  readonly priorityLowerThanOrEquals?: number;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly includeJobsWithoutTenantId?: boolean;
}

export type JobSortKey =
  | 'jobId'
  | 'executionId'
  | 'processInstanceId'
  | 'processDefinitionId'
  | 'processDefinitionKey'
  | 'jobPriority'
  | 'jobRetries'
  | 'jobDueDate'
  | 'tenantId';

/** A timer job and when it is due. */
export interface DueTimer {
  readonly jobId: string;
  readonly dueDate: Date;
}

const dueTimer = (row: { id: string; due_date: Date }): DueTimer => ({
  jobId: row.id,
  dueDate: row.due_date,
});

/** A job whose retries were set: its batch (null for a timer) and its new dispatch generation. */
export interface RetriedJob {
  readonly id: string;
  readonly batchId: string | null;
  readonly dispatch: number;
}

/** A job as Camunda's JobDto describes it. */
export interface JobRecord {
  readonly id: string;
  /** `timer` for timer events; `message` for asynchronous work such as batch jobs. */
  readonly type: string;
  readonly jobDefinitionId: string | null;
  readonly batchId: string | null;
  readonly processInstanceId: string | null;
  readonly processDefinitionId: string | null;
  readonly processDefinitionKey: string | null;
  readonly executionId: string | null;
  readonly activityId: string | null;
  readonly dueDate: Date | null;
  readonly retries: number;
  readonly exceptionMessage: string | null;
  readonly priority: number;
  readonly tenantId: string | null;
  readonly suspended: boolean;
  readonly createTime: Date;
}

/**
 * Every job field as a SQL expression over {@link FROM}: the one place that knows where a field lives.
 * Timer jobs take definition, tenant and suspension from their process instance; batch execution jobs
 * have no instance but a job definition and a batch, whose tenant they carry.
 */
const FIELD: Readonly<Record<keyof JobRecord, string>> = {
  id: 'j.id',
  type: 'j.type',
  jobDefinitionId: 'j.job_definition_id',
  batchId: 'j.batch_id',
  processInstanceId: 'j.process_instance_id',
  processDefinitionId: 'p.definition_id',
  processDefinitionKey: 'p.definition_key',
  executionId: 'j.execution_id',
  activityId: 'j.activity_id',
  dueDate: 'j.due_date',
  retries: 'j.retries',
  exceptionMessage: 'j.exception_message',
  priority: 'j.priority',
  tenantId: 'COALESCE(p.tenant_id, b.tenant_id)',
  suspended: 'GREATEST(j.suspended, COALESCE(p.suspended, 0))',
  createTime: 'j.created',
};

const FROM =
  'ru_job j LEFT JOIN ru_process_instance p ON p.id = j.process_instance_id LEFT JOIN ru_batch b ON b.id = j.batch_id';

const SELECT = `SELECT ${Object.entries(FIELD)
  .map(([name, expression]) => `${expression} AS ${name}`)
  .join(', ')} FROM ${FROM}`;

const SORT_COLUMNS: Record<JobSortKey, string> = {
  jobId: FIELD.id,
  executionId: FIELD.executionId,
  processInstanceId: FIELD.processInstanceId,
  processDefinitionId: FIELD.processDefinitionId,
  processDefinitionKey: FIELD.processDefinitionKey,
  jobPriority: FIELD.priority,
  jobRetries: FIELD.retries,
  jobDueDate: FIELD.dueDate,
  tenantId: FIELD.tenantId,
};

type Row = { [K in keyof JobRecord]: unknown };

const text = (value: unknown): string | null => (value === null ? null : String(value));

const toRecord = (row: Row): JobRecord => ({
  id: String(row.id),
  type: String(row.type),
  jobDefinitionId: text(row.jobDefinitionId),
  batchId: text(row.batchId),
  processInstanceId: text(row.processInstanceId),
  processDefinitionId: text(row.processDefinitionId),
  processDefinitionKey: text(row.processDefinitionKey),
  executionId: text(row.executionId),
  activityId: text(row.activityId),
  dueDate: (row.dueDate as Date | null) ?? null,
  retries: Number(row.retries),
  exceptionMessage: text(row.exceptionMessage),
  priority: Number(row.priority),
  tenantId: text(row.tenantId),
  suspended: Number(row.suspended) === 1,
  createTime: row.createTime as Date,
});

/** Queries over jobs (`ru_job`), by Camunda's job query filters. */
export class JobRepository {
  /** Jobs matching `query`; `now` decides which are `executable`. */
  async query(
    sql: Sql,
    query: JobQuery,
    now: Date,
    page?: Page,
    sorting: Sorting<JobSortKey>[] = [],
  ): Promise<JobRecord[]> {
    const where = jobConditions(query, now);
    const rows = await sql.select<Row>(
      `${SELECT}${where}${orderAndPage(sorting, SORT_COLUMNS, `${FIELD.id} ASC`, page)}`,
      where.params,
    );
    return rows.map(toRecord);
  }

  async count(sql: Sql, query: JobQuery, now: Date): Promise<number> {
    const where = jobConditions(query, now);
    const [row] = await sql.select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${FROM}${where}`, where.params);
    return Number(row?.n ?? 0);
  }

  /**
   * Sets the retries (and, when given, the due date) of those of `jobIds` that exist; returns them with
   * their batch (null for a timer) and their new dispatch generation (each call starts a new one, so
   * the job's next queue entry never collides with the one that just failed it). Must run in a
   * transaction: a timer is part of its instance's state, so the owning instances are locked first.
   */
  async setRetries(
    sql: Sql,
    jobIds: readonly string[],
    retries: number,
    dueDate: Date | undefined,
  ): Promise<RetriedJob[]> {
    if (jobIds.length === 0) return [];
    await this.lockOwners(sql, jobIds);
    const rows = await sql.select<{ id: string; batch_id: string | null; dispatch: number }>(
      `SELECT id, batch_id, dispatch FROM ru_job WHERE id IN (${placeholders(jobIds.length)}) FOR UPDATE`,
      jobIds,
    );
    if (rows.length > 0) {
      await sql.execute(
        `UPDATE ru_job SET retries = ?, dispatch = dispatch + 1${dueDate ? ', due_date = ?' : ''} WHERE id IN (${placeholders(rows.length)})`,
        [retries, ...(dueDate ? [dueDate] : []), ...rows.map((row) => row.id)],
      );
    }
    return rows.map((row) => ({ id: row.id, batchId: row.batch_id, dispatch: Number(row.dispatch) + 1 }));
  }

  /** Moves a job's due date; false when there is no such job. Must run in a transaction (see `setRetries`). */
  async setDueDate(sql: Sql, jobId: string, dueDate: Date): Promise<boolean> {
    await this.lockOwners(sql, [jobId]);
    return (await sql.execute('UPDATE ru_job SET due_date = ? WHERE id = ?', [dueDate, jobId])) > 0;
  }

  /**
   * Records a failed attempt of a timer job: one retry less, the message kept. Returns the retries left
   * (0 when the job is gone). Must run in a transaction (see `setRetries`).
   */
  async recordFailure(sql: Sql, jobId: string, message: string): Promise<number> {
    await this.lockOwners(sql, [jobId]);
    await sql.execute(
      'UPDATE ru_job SET retries = GREATEST(retries - 1, 0), exception_message = ? WHERE id = ?',
      [message.slice(0, 4000), jobId],
    );
    const [row] = await sql.select<{ retries: number }>('SELECT retries FROM ru_job WHERE id = ?', [jobId]);
    return row ? Number(row.retries) : 0;
  }

  /** Timers with retries left due before `horizon`, after `afterId` in id order (keyset pages). */
  async timersDue(sql: Sql, afterId: string, horizon: Date, limit: number): Promise<DueTimer[]> {
    const rows = await sql.select<{ id: string; due_date: Date }>(
      `SELECT id, due_date FROM ru_job WHERE id > ? AND retries > 0 AND due_date <= ? ORDER BY id LIMIT ${Math.max(1, Math.floor(limit))}`,
      [afterId, horizon],
    );
    return rows.map(dueTimer);
  }

  /** Those of `jobIds` with retries left (a failed job waits for new retries). */
  async runnableTimers(sql: Sql, jobIds: readonly string[]): Promise<DueTimer[]> {
    if (jobIds.length === 0) return [];
    const rows = await sql.select<{ id: string; due_date: Date }>(
      `SELECT id, due_date FROM ru_job WHERE id IN (${placeholders(jobIds.length)}) AND retries > 0`,
      jobIds,
    );
    return rows.map(dueTimer);
  }

  /** The timers with retries left of the given instances. */
  async runnableTimersOfInstances(sql: Sql, instanceIds: readonly string[]): Promise<DueTimer[]> {
    if (instanceIds.length === 0) return [];
    const rows = await sql.select<{ id: string; due_date: Date }>(
      `SELECT id, due_date FROM ru_job WHERE process_instance_id IN (${placeholders(instanceIds.length)}) AND retries > 0`,
      instanceIds,
    );
    return rows.map(dueTimer);
  }

  /**
   * Locks the process instances owning any of `jobIds` (and bumps their revisions): changing a timer
   * changes its instance, so it is serialised with every other change of that instance, taking the
   * instance lock before any job row's, in the same order as instance operations do.
   */
  private async lockOwners(sql: Sql, jobIds: readonly string[]): Promise<void> {
    const owners = await sql.select<{ id: string }>(
      `SELECT DISTINCT process_instance_id AS id FROM ru_job
        WHERE id IN (${placeholders(jobIds.length)}) AND process_instance_id IS NOT NULL`,
      jobIds,
    );
    if (owners.length === 0) return;
    await sql.execute(
      `UPDATE ru_process_instance SET revision = revision + 1 WHERE id IN (${placeholders(owners.length)})`,
      owners.map((owner) => owner.id),
    );
  }

  async find(sql: Sql, jobId: string): Promise<JobRecord | undefined> {
    const rows = await sql.select<Row>(`${SELECT} WHERE ${FIELD.id} = ?`, [jobId]);
    return rows[0] && toRecord(rows[0]);
  }
}

function jobConditions(query: JobQuery, now: Date): Conditions {
  const where = new Conditions()
    .when(query.jobId, `${FIELD.id} = ?`)
    .whenIn(query.jobIds, FIELD.id)
    .when(query.jobDefinitionId, `${FIELD.jobDefinitionId} = ?`)
    .when(query.processInstanceId, `${FIELD.processInstanceId} = ?`)
    .whenIn(query.processInstanceIds, FIELD.processInstanceId)
    .when(query.executionId, `${FIELD.executionId} = ?`)
    .when(query.processDefinitionId, `${FIELD.processDefinitionId} = ?`)
    .when(query.processDefinitionKey, `${FIELD.processDefinitionKey} = ?`)
    .when(query.activityId, `${FIELD.activityId} = ?`)
    .when(query.exceptionMessage, `${FIELD.exceptionMessage} = ?`)
    .when(query.priorityHigherThanOrEquals, `${FIELD.priority} >= ?`)
    .when(query.priorityLowerThanOrEquals, `${FIELD.priority} <= ?`);
  if (query.timers) where.add(`${FIELD.type} = 'timer'`);
  if (query.messages) where.add(`${FIELD.type} = 'message'`);
  if (query.withRetriesLeft) where.add(`${FIELD.retries} > 0`);
  if (query.noRetriesLeft) where.add(`${FIELD.retries} = 0`);
  if (query.withException) where.add(`${FIELD.exceptionMessage} IS NOT NULL`);
  if (query.executable) {
    where.add(`${FIELD.retries} > 0 AND (${FIELD.dueDate} IS NULL OR ${FIELD.dueDate} <= ?)`, now);
  }
  if (query.active) where.add(`${FIELD.suspended} = 0`);
  if (query.suspended) where.add(`${FIELD.suspended} = 1`);
  for (const condition of query.dueDates ?? []) addDateCondition(where, FIELD.dueDate, condition);
  for (const condition of query.createTimes ?? []) addDateCondition(where, FIELD.createTime, condition);
  return tenantConditions(
    where,
    query.tenantIdIn,
    query.withoutTenantId,
    query.includeJobsWithoutTenantId,
    FIELD.tenantId,
  );
}

function addDateCondition(where: Conditions, column: string, condition: DateCondition): void {
  where.add(`${column} ${condition.operator === 'gt' ? '>' : '<'} ?`, condition.value);
}
