import { DelayedError, UnrecoverableError, type Job, type Processor } from 'bullmq';
import { ProcessEngineException } from '@libs/engine';
import type { Logger } from '@libs/logging';
import { JOB_PAYLOADS, type JobPayload } from '@libs/queue';
import { isTransientSqlError, type JobService } from '@libs/runtime';

/**
 * Fires timer jobs. Transient failures (lost connection, deadlock) are rethrown for BullMQ to retry
 * with back-off. A failure of the process itself (e.g. no outgoing flow can be selected after the timer)
 * costs the job row one retry and records the message, as Camunda does; at zero retries the job is a
 * failed job (`GET /job?noRetriesLeft=true`) until someone sets its retries again.
 */
export function timerProcessor(jobs: JobService, logger: Logger): Processor<JobPayload<'timer'>> {
  return async (job: Job<JobPayload<'timer'>>, token?: string) => {
    const { jobId } = JOB_PAYLOADS.timer.parse(job.data);
    try {
      const outcome = await jobs.fire(jobId);
      if (outcome.kind === 'notDue') {
        await job.moveToDelayed(outcome.dueDate.getTime(), token);
        throw new DelayedError();
      }
      return outcome.kind;
    } catch (error) {
      if (
        error instanceof DelayedError ||
        isTransientSqlError(error) ||
        !(error instanceof ProcessEngineException)
      )
        throw error;
      const retriesLeft = await jobs.recordFailure(jobId, error);
      logger.warn('timer job failed', { jobId, retriesLeft, error: error.message });
      if (retriesLeft === 0) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}
