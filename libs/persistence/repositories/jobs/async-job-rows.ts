import type { AsyncJob } from '@libs/engine';
import { date, maybeDate, text, type SharedRecordTable } from '../record-table';
import { JOB_MANAGEMENT_COLUMNS } from './timer-rows';

/** `ru_job.handler_type` of asynchronous continuations (Camunda's job handler type). */
export const ASYNC_CONTINUATION = 'async-continuation';

/** Camunda's handler configuration: the atomic operation the job resumes (and the flow it takes). */
function configurationOf(job: AsyncJob): string {
  if (job.direction === 'before') return 'transition-create-scope';
  return job.flowId === null ? 'activity-end' : `transition-notify-listener-take$${job.flowId}`;
}

const TAKE = 'transition-notify-listener-take$';

/**
 * Asynchronous continuations as part of their instance's state: the instance store writes them with the
 * instance, as it writes timers (see `timerRows`). Rows are told apart by `handler_type`.
 */
export const asyncJobRows: SharedRecordTable<AsyncJob> = {
  table: 'ru_job',
  where: `handler_type = '${ASYNC_CONTINUATION}'`,
  holds: (row) => row.handler_type === ASYNC_CONTINUATION,
  columns: [
    'type',
    'handler_type',
    'handler_configuration',
    'job_definition_id',
    'activity_id',
    'activity_instance_id',
    'execution_id',
    'exclusive',
    'retries',
    'exception_message',
    'due_date',
    'created',
  ],
  toRow: (r) => [
    r.type,
    ASYNC_CONTINUATION,
    configurationOf(r),
    r.jobDefinitionId,
    r.activityId,
    r.activityInstanceId,
    r.executionId,
    r.exclusive ? 1 : 0,
    r.retries,
    r.exceptionMessage,
    r.dueDate,
    r.created,
  ],
  insertOnly: JOB_MANAGEMENT_COLUMNS,
  fromRow: (row) => {
    const configuration = String(row.handler_configuration);
    return {
      id: String(row.id),
      type: 'message',
      direction: configuration === 'transition-create-scope' ? 'before' : 'after',
      activityId: String(row.activity_id),
      activityInstanceId: String(row.activity_instance_id),
      executionId: String(row.execution_id),
      flowId: configuration.startsWith(TAKE) ? configuration.slice(TAKE.length) : null,
      jobDefinitionId: String(row.job_definition_id),
      exclusive: Number(row.exclusive) === 1,
      retries: Number(row.retries),
      priority: Number(row.priority),
      suspended: Number(row.suspended) === 1,
      exceptionMessage: text(row.exception_message),
      dueDate: maybeDate(row.due_date),
      created: date(row.created),
    };
  },
  of: (state) => state.asyncJobs,
};
