import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import {
  Conditions,
  insertRows,
  orderAndPage,
  placeholders,
  type Page,
  type Sorting,
  type Sql,
} from '../../sql';
import {
  JOB_LOG_COLUMNS,
  JOB_LOG_STATE,
  jobLogRows,
  type JobLogChange,
  type JobLogContext,
} from './job-log-rows';

/** A historic job log entry as Camunda's HistoricJobLogDto describes it. */
export interface JobLogRecord {
  readonly id: string;
  readonly timestamp: Date;
  readonly jobId: string;
  readonly jobDueDate: Date | null;
  readonly jobRetries: number;
  readonly jobPriority: number;
  readonly jobExceptionMessage: string | null;
  readonly failedActivityId: string | null;
  readonly jobDefinitionId: string | null;
  readonly jobDefinitionType: string | null;
  readonly jobDefinitionConfiguration: string | null;
  readonly activityId: string | null;
  readonly executionId: string | null;
  readonly processInstanceId: string | null;
  readonly processDefinitionId: string | null;
  readonly processDefinitionKey: string | null;
  readonly deploymentId: string | null;
  readonly tenantId: string | null;
  readonly hostname: string | null;
  readonly sequenceCounter: number;
  readonly state: keyof typeof JOB_LOG_STATE;
}

/** The filters of `GET /history/job-log` (Camunda's HistoricJobLogQueryDto) this service supports. */
export interface JobLogQuery {
  readonly logId?: string;
  readonly jobId?: string;
  readonly jobExceptionMessage?: string;
  readonly jobDefinitionId?: string;
  readonly jobDefinitionType?: string;
  readonly jobDefinitionConfiguration?: string;
  readonly activityIdIn?: readonly string[];
  readonly failedActivityIdIn?: readonly string[];
  readonly executionIdIn?: readonly string[];
  readonly processInstanceId?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly deploymentId?: string;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly hostname?: string;
  readonly jobPriorityLowerThanOrEquals?: number;
  readonly jobPriorityHigherThanOrEquals?: number;
  readonly creationLog?: boolean;
  readonly failureLog?: boolean;
  readonly successLog?: boolean;
  readonly deletionLog?: boolean;
}

export const JOB_LOG_SORT_COLUMNS = {
  timestamp: 'l.timestamp',
  jobId: 'l.job_id',
  jobDefinitionId: 'l.job_definition_id',
  jobDueDate: 'l.job_due_date',
  jobRetries: 'l.job_retries',
  jobPriority: 'l.job_priority',
  activityId: 'l.activity_id',
  executionId: 'l.execution_id',
  processInstanceId: 'l.process_instance_id',
  processDefinitionId: 'l.process_definition_id',
  processDefinitionKey: 'l.process_definition_key',
  deploymentId: 'd.deployment_id',
  hostname: 'l.hostname',
  occurrence: 'l.sequence_counter',
  tenantId: 'l.tenant_id',
} as const;
export type JobLogSortKey = keyof typeof JOB_LOG_SORT_COLUMNS;

const STATES = Object.fromEntries(
  Object.entries(JOB_LOG_STATE).map(([name, code]) => [code, name]),
) as Record<number, JobLogRecord['state']>;

const FROM = 'hi_job_log l LEFT JOIN re_process_definition d ON d.id = l.process_definition_id';
const COLUMNS = `l.id, l.timestamp, l.job_id, l.job_due_date, l.job_retries, l.job_priority, l.job_exception_message,
  l.failed_activity_id, l.job_definition_id, l.job_definition_type, l.job_definition_configuration, l.activity_id,
  l.execution_id, l.process_instance_id, l.process_definition_id, l.process_definition_key, d.deployment_id,
  l.tenant_id, l.hostname, l.sequence_counter, l.state`;

type JobLogRow = Record<string, unknown>;

const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

const toRecord = (row: JobLogRow): JobLogRecord => ({
  id: String(row.id),
  timestamp: row.timestamp as Date,
  jobId: String(row.job_id),
  jobDueDate: (row.job_due_date as Date | null) ?? null,
  jobRetries: Number(row.job_retries),
  jobPriority: Number(row.job_priority),
  jobExceptionMessage: str(row.job_exception_message),
  failedActivityId: str(row.failed_activity_id),
  jobDefinitionId: str(row.job_definition_id),
  jobDefinitionType: str(row.job_definition_type),
  jobDefinitionConfiguration: str(row.job_definition_configuration),
  activityId: str(row.activity_id),
  executionId: str(row.execution_id),
  processInstanceId: str(row.process_instance_id),
  processDefinitionId: str(row.process_definition_id),
  processDefinitionKey: str(row.process_definition_key),
  deploymentId: str(row.deployment_id),
  tenantId: str(row.tenant_id),
  hostname: str(row.hostname),
  sequenceCounter: Number(row.sequence_counter),
  state: STATES[Number(row.state)] ?? 'created',
});

/**
 * The one owner of `hi_job_log`: the entries of timers and asynchronous continuations, written in the
 * transaction that changes the job (created, failed, successful, deleted), and their queries.
 */
export class JobLogRepository {
  private sequence = 0;

  constructor(private readonly host: string = hostname()) {}

  /** A context for the entries written now by this process. */
  context(now: Date): JobLogContext {
    return {
      now,
      hostname: this.host,
      newId: randomUUID,
      nextSequence: (time) => {
        this.sequence = (this.sequence + 1) % 1000;
        return time.getTime() * 1000 + this.sequence;
      },
    };
  }

  /** Writes the entries of instance changes (see `jobLogRows`), in one multi-row insert. */
  async record(sql: Sql, changes: readonly JobLogChange[], now: Date): Promise<void> {
    await this.insert(sql, jobLogRows(changes, this.context(now)));
  }

  /** Inserts rows made by `jobLogRow`. */
  async insert(sql: Sql, rows: readonly unknown[][]): Promise<void> {
    await insertRows(sql, 'hi_job_log', JOB_LOG_COLUMNS, rows);
  }

  /** Deletes the entries of the given definitions' instances (a cascading deployment deletion). */
  async deleteOfDefinitions(sql: Sql, definitionIds: readonly string[]): Promise<void> {
    if (definitionIds.length === 0) return;
    await sql.execute(
      `DELETE FROM hi_job_log WHERE process_definition_id IN (${placeholders(definitionIds.length)})`,
      definitionIds,
    );
  }

  async query(
    sql: Sql,
    query: JobLogQuery,
    page?: Page,
    sorting: Sorting<JobLogSortKey>[] = [],
  ): Promise<JobLogRecord[]> {
    const where = conditions(query);
    const rows = await sql.select<JobLogRow>(
      `SELECT ${COLUMNS} FROM ${FROM}${where}${orderAndPage(sorting, JOB_LOG_SORT_COLUMNS, 'l.id ASC', page)}`,
      where.params,
    );
    return rows.map(toRecord);
  }

  async count(sql: Sql, query: JobLogQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${FROM}${where}`, where.params);
    return Number(row?.n ?? 0);
  }

  /** The stack trace of a failure entry: `null` for another entry, undefined when there is no entry. */
  async stackTrace(sql: Sql, logId: string): Promise<string | null | undefined> {
    const [row] = await sql.select<{ trace: string | null }>(
      'SELECT job_exception_stack_trace AS trace FROM hi_job_log WHERE id = ?',
      [logId],
    );
    return row === undefined ? undefined : (row.trace ?? null);
  }
}

function conditions(query: JobLogQuery): Conditions {
  const states = (['creationLog', 'failureLog', 'successLog', 'deletionLog'] as const)
    .map((flag, code) => (query[flag] === true ? code : null))
    .filter((code): code is number => code !== null);
  const where = new Conditions()
    .when(query.logId, 'l.id = ?')
    .when(query.jobId, 'l.job_id = ?')
    .when(query.jobExceptionMessage, 'l.job_exception_message = ?')
    .when(query.jobDefinitionId, 'l.job_definition_id = ?')
    .when(query.jobDefinitionType, 'l.job_definition_type = ?')
    .when(query.jobDefinitionConfiguration, 'l.job_definition_configuration = ?')
    .whenIn(query.activityIdIn, 'l.activity_id')
    .whenIn(query.failedActivityIdIn, 'l.failed_activity_id')
    .whenIn(query.executionIdIn, 'l.execution_id')
    .when(query.processInstanceId, 'l.process_instance_id = ?')
    .when(query.processDefinitionId, 'l.process_definition_id = ?')
    .when(query.processDefinitionKey, 'l.process_definition_key = ?')
    .when(query.deploymentId, 'd.deployment_id = ?')
    .whenIn(query.tenantIdIn, 'l.tenant_id')
    .when(query.hostname, 'l.hostname = ?')
    .when(query.jobPriorityLowerThanOrEquals, 'l.job_priority <= ?')
    .when(query.jobPriorityHigherThanOrEquals, 'l.job_priority >= ?');
  if (query.withoutTenantId === true) where.add('l.tenant_id IS NULL');
  // Each flag sets the one state Camunda's query filters by: of several, the last applied wins.
  const state = states[states.length - 1];
  return state === undefined ? where : where.add('l.state = ?', state);
}
