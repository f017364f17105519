import { DelayedError, UnrecoverableError, type Job, type Processor } from 'bullmq';
import { JOB_PAYLOADS, type JobPayload } from '@libs/queue';
import type { JobKind, JobService } from '@libs/runtime';

/**
 * The processor of one job kind's queue, thin: parse the payload (Redis data outlives deploys), let the
 * jobs service run the job, and tell BullMQ what came of it. A job that is not due yet (or a monitor
 * that polls) waits in the delayed set; a failure the process caused was recorded on the job's row and
 * is retried with back-off while retries are left, then kept as failed; any other error is transient
 * and retried by BullMQ.
 */
export function jobProcessor<K extends JobKind>(jobs: JobService, kind: K): Processor<JobPayload<K>> {
  return async (job: Job<JobPayload<K>>, token?: string) => {
    const payload = JOB_PAYLOADS[kind].parse(job.data) as JobPayload<K>;
    const run = await jobs.run(kind, payload);
    switch (run.status) {
      case 'done':
        return run.outcome;
      case 'later':
        await job.moveToDelayed(run.at.getTime(), token);
        throw new DelayedError();
      case 'failed':
        throw run.final ? new UnrecoverableError(run.error.message) : run.error;
    }
  };
}
