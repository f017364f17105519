import type { AsyncJob, TimerJob } from '@libs/engine';
import { date, text, type SharedRecordTable } from '../record-table';

/**
 * A job's suspension and priority: written with the row when the instance store inserts it, never by
 * the store's updates. Why: they are changed on the row by statements that do not lock the owning
 * instances (`PUT /job/{id}/suspended|priority`, job-definition suspension and priority with
 * `includeJobs`, by job definition or process definition over many instances), so a save of an
 * instance state read before such a statement must not write the old values back. Rows are only
 * updated by primary key, so such a statement and an instance's save serialise on the job row.
 */
export const JOB_MANAGEMENT_COLUMNS = {
  columns: ['suspended', 'priority'],
  values: (job: TimerJob | AsyncJob) => [job.suspended ? 1 : 0, job.priority],
} as const;

/** Timer jobs as part of their instance's state: the instance store writes them with the instance. */
export const timerRows: SharedRecordTable<TimerJob> = {
  table: 'ru_job',
  where: "type = 'timer'",
  holds: (row) => row.type === 'timer',
  columns: [
    'type',
    'job_definition_id',
    'activity_id',
    'activity_instance_id',
    'execution_id',
    'due_date',
    'repeat_text',
    'retries',
    'exception_message',
    'created',
  ],
  toRow: (r) => [
    r.type,
    r.jobDefinitionId,
    r.activityId,
    r.activityInstanceId,
    r.executionId,
    r.dueDate,
    r.repeat,
    r.retries,
    r.exceptionMessage,
    r.created,
  ],
  insertOnly: JOB_MANAGEMENT_COLUMNS,
  fromRow: (row) => ({
    id: String(row.id),
    type: 'timer',
    activityId: String(row.activity_id),
    activityInstanceId: String(row.activity_instance_id),
    executionId: String(row.execution_id),
    dueDate: date(row.due_date),
    repeat: text(row.repeat_text),
    jobDefinitionId: String(row.job_definition_id),
    retries: Number(row.retries),
    priority: Number(row.priority),
    suspended: Number(row.suspended) === 1,
    exceptionMessage: text(row.exception_message),
    created: date(row.created),
  }),
  of: (state) => state.jobs,
};
