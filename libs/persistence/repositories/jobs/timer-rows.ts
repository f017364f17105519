import type { TimerJob } from '@libs/engine';
import { date, text, type SharedRecordTable } from '../record-table';

/** Timer jobs as part of their instance's state: the instance store writes them with the instance. */
export const timerRows: SharedRecordTable<TimerJob> = {
  table: 'ru_job',
  where: "type = 'timer'",
  holds: (row) => row.type === 'timer',
  columns: [
    'type',
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
    r.activityId,
    r.activityInstanceId,
    r.executionId,
    r.dueDate,
    r.repeat,
    r.retries,
    r.exceptionMessage,
    r.created,
  ],
  fromRow: (row) => ({
    id: String(row.id),
    type: 'timer',
    activityId: String(row.activity_id),
    activityInstanceId: String(row.activity_instance_id),
    executionId: String(row.execution_id),
    dueDate: date(row.due_date),
    repeat: text(row.repeat_text),
    retries: Number(row.retries),
    exceptionMessage: text(row.exception_message),
    created: date(row.created),
  }),
  of: (state) => state.jobs,
};
