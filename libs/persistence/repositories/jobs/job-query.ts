import { Conditions } from '../../sql';
import { tenantConditions } from '../deployment.repository';

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
  /** Jobs whose last run failed, at this activity. */
  readonly failedActivityId?: string;
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

export const dueTimer = (row: { id: string; due_date: Date }): DueTimer => ({
  jobId: row.id,
  dueDate: row.due_date,
});

/**
 * The kinds of job stored as `ru_job` rows: timers and asynchronous continuations of process instances,
 * and batch execution jobs (a batch's seed and monitor jobs live in the queue only).
 */
export type StoredJobKind = 'timer' | 'async-continuation' | 'batch-execution';

/**
 * A job whose retries or due date were set: its kind, its batch (null for a timer), its due date (null:
 * due now), its retries and its new dispatch generation.
 */
export interface RetriedJob {
  readonly id: string;
  readonly kind: StoredJobKind;
  readonly batchId: string | null;
  readonly dueDate: Date | null;
  readonly retries: number;
  readonly dispatch: number;
}

/** A job as Camunda's JobDto describes it. */
export interface JobRecord {
  readonly id: string;
  readonly kind: StoredJobKind;
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
  /** The stack trace of the last failure (its message when none was kept). */
  readonly exceptionStacktrace: string | null;
  readonly priority: number;
  readonly tenantId: string | null;
  readonly suspended: boolean;
  readonly createTime: Date;
}

/**
 * Every job field as a SQL expression over {@link FROM}: the one place that knows where a field lives.
 * Timer jobs take definition and tenant from their process instance; batch execution jobs
 * have no instance but a job definition and a batch, whose tenant they carry.
 */
/**
 * A job row's kind: only batch execution jobs belong to a batch; asynchronous continuations have their
 * handler type; the other instance jobs are timers.
 */
export const KIND =
  "CASE WHEN j.batch_id IS NOT NULL THEN 'batch-execution' WHEN j.handler_type = 'async-continuation' THEN 'async-continuation' ELSE 'timer' END";

export const FIELD: Readonly<Record<keyof JobRecord, string>> = {
  id: 'j.id',
  kind: KIND,
  type: 'j.type',
  jobDefinitionId: 'j.job_definition_id',
  batchId: 'j.batch_id',
  processInstanceId: 'j.process_instance_id',
  processDefinitionId: 'COALESCE(p.definition_id, sd.id)',
  processDefinitionKey: 'COALESCE(p.definition_key, sd.def_key)',
  executionId: 'j.execution_id',
  activityId: 'j.activity_id',
  dueDate: 'j.due_date',
  retries: 'j.retries',
  exceptionMessage: 'j.exception_message',
  exceptionStacktrace: 'COALESCE(j.exception_stack_trace, j.exception_message)',
  priority: 'j.priority',
  tenantId: 'COALESCE(p.tenant_id, b.tenant_id, sd.tenant_id)',
  // A job's own state: suspending an instance (or a job definition with its jobs) writes it.
  suspended: 'j.suspended',
  createTime: 'j.created',
};

/** Timer start jobs have no instance: their definition (`sd`) is the job's own. */
export const FROM =
  'ru_job j LEFT JOIN ru_process_instance p ON p.id = j.process_instance_id LEFT JOIN ru_batch b ON b.id = j.batch_id' +
  ' LEFT JOIN re_process_definition sd ON sd.id = j.process_definition_id';

export const SELECT = `SELECT ${Object.entries(FIELD)
  .map(([name, expression]) => `${expression} AS ${name}`)
  .join(', ')} FROM ${FROM}`;

export const SORT_COLUMNS: Record<JobSortKey, string> = {
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

export type JobRow = { [K in keyof JobRecord]: unknown };

const text = (value: unknown): string | null => (value === null ? null : String(value));

export const toRecord = (row: JobRow): JobRecord => ({
  id: String(row.id),
  kind: row.kind as StoredJobKind,
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
  exceptionStacktrace: text(row.exceptionStacktrace),
  priority: Number(row.priority),
  tenantId: text(row.tenantId),
  suspended: Number(row.suspended) === 1,
  createTime: row.createTime as Date,
});

export function jobConditions(query: JobQuery, now: Date): Conditions {
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
    .when(query.failedActivityId, `${FIELD.exceptionMessage} IS NOT NULL AND ${FIELD.activityId} = ?`)
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
