import type { ProcessModel } from '@libs/bpmn';
import { nextJobRetry } from '@libs/engine';
import type { Sql } from '../../sql';
import type { IncidentRepository } from '../incidents/incident.repository';
import { jobDefinitionOf, jobLogRow } from '../job-log/job-log-rows';
import type { JobLogRepository } from '../job-log/job-log.repository';

/** A run of a timer or an asynchronous continuation that the process failed. */
export interface JobFailure {
  readonly jobId: string;
  readonly message: string;
  readonly stackTrace: string;
  /** The id of the incident to raise if the job runs out of retries. */
  readonly incidentId: string;
  readonly now: Date;
}

type FailingJobRow = {
  id: string;
  type: string;
  handler_configuration: string | null;
  activity_id: string;
  execution_id: string | null;
  job_definition_id: string | null;
  retries: number;
  priority: number;
  exception_message: string | null;
  due_date: Date | null;
  process_instance_id: string;
  definition_id: string;
  definition_key: string;
  tenant_id: string | null;
};

/**
 * Records a failed run on the job row, as Camunda's `DefaultJobRetryCmd` does (see `nextJobRetry`: the
 * activity's `camunda:failedJobRetryTimeCycle` decides the retries left and when the job runs again),
 * writes the `failed` job log entry (with the stack trace), and at 0 retries raises the `failedJob`
 * incident (its history names that entry). The owning instance must be locked. Returns the retries
 * left and the job's due date (0 and null when the job is gone).
 */
export async function recordJobFailure(
  sql: Sql,
  failure: JobFailure,
  modelOf: (definitionId: string) => Promise<ProcessModel>,
  stores: { readonly incidents: IncidentRepository; readonly jobLog: JobLogRepository },
): Promise<{ retries: number; dueDate: Date | null }> {
  const [job] = await sql.select<FailingJobRow>(
    `SELECT j.id, j.type, j.handler_configuration, j.activity_id, j.execution_id, j.job_definition_id, j.retries, j.priority,
            j.exception_message, j.due_date, j.process_instance_id, p.definition_id, p.definition_key, p.tenant_id
       FROM ru_job j JOIN ru_process_instance p ON p.id = j.process_instance_id WHERE j.id = ? FOR UPDATE`,
    [failure.jobId],
  );
  if (job === undefined) return { retries: 0, dueDate: null };
  const model = await modelOf(job.definition_id);
  const next = nextJobRetry(
    { retries: Number(job.retries), exceptionMessage: job.exception_message },
    model.nodes.get(job.activity_id)?.retryCycle,
    failure.now,
  );
  const message = failure.message.slice(0, 4000);
  const stackTrace = failure.stackTrace.slice(0, 60_000);
  await sql.execute(
    `UPDATE ru_job SET retries = ?, exception_message = ?, exception_stack_trace = ?${next.dueDate ? ', due_date = ?' : ''} WHERE id = ?`,
    [next.retries, message, stackTrace, ...(next.dueDate ? [next.dueDate] : []), job.id],
  );
  const context = stores.jobLog.context(failure.now);
  const owner = {
    processInstanceId: job.process_instance_id,
    processDefinitionId: job.definition_id,
    processDefinitionKey: job.definition_key,
    tenantId: job.tenant_id,
  };
  const definition =
    job.type === 'timer'
      ? jobDefinitionOf(model, { type: 'timer', activityId: job.activity_id })
      : jobDefinitionOf(model, {
          type: 'message',
          direction: job.handler_configuration === 'transition-create-scope' ? 'before' : 'after',
        });
  const logged = {
    id: job.id,
    dueDate: job.due_date,
    retries: Number(job.retries),
    priority: Number(job.priority),
    activityId: job.activity_id,
    executionId: job.execution_id,
    jobDefinitionId: job.job_definition_id,
    definition,
    failedBefore: true,
  };
  const row = jobLogRow('failed', logged, owner, context, { message, stackTrace });
  await stores.jobLog.insert(sql, [row]);
  if (next.retries === 0) {
    await stores.incidents.raiseForJob(sql, {
      id: failure.incidentId,
      jobId: job.id,
      message,
      timestamp: failure.now,
      processInstanceId: job.process_instance_id,
      processDefinitionId: job.definition_id,
      processDefinitionKey: job.definition_key,
      tenantId: job.tenant_id,
      executionId: job.execution_id,
      activityId: job.activity_id,
      jobDefinitionId: job.job_definition_id,
      historyConfiguration: String(row[0]),
    });
  }
  return { retries: next.retries, dueDate: next.dueDate ?? job.due_date ?? null };
}
