import { DelayedError, type Job, type Processor } from 'bullmq';
import type { BatchSteps } from '@libs/batch';
import { withLogContext } from '@libs/logging';
import { JOB_PAYLOADS, type JobPayload } from '@libs/queue';

/**
 * Batch processors are thin: parse the payload (Redis data outlives deploys), run the batch step, and
 * let BullMQ see failures (any error is transient here: instance failures are recorded on items by the
 * step and never thrown). Every log line of a step carries the batch id.
 */
export function batchSeedProcessor(steps: BatchSteps): Processor<JobPayload<'batch-seed'>> {
  return async (job) => {
    const { batchId } = JOB_PAYLOADS['batch-seed'].parse(job.data);
    return withLogContext({ batchId }, () => steps.seed(batchId));
  };
}

export function batchExecutionProcessor(steps: BatchSteps): Processor<JobPayload<'batch-execution'>> {
  return async (job) => {
    const { batchId, jobId } = JOB_PAYLOADS['batch-execution'].parse(job.data);
    return withLogContext({ batchId, batchJobId: jobId }, () => steps.execute(batchId, jobId));
  };
}

/** Ends the batch when nothing is left, otherwise looks again after `pollTimeMs` (unless woken earlier). */
export function batchMonitorProcessor(
  steps: BatchSteps,
  pollTimeMs: number,
): Processor<JobPayload<'batch-monitor'>> {
  return async (job: Job<JobPayload<'batch-monitor'>>, token?: string) => {
    const { batchId } = JOB_PAYLOADS['batch-monitor'].parse(job.data);
    const outcome = await withLogContext({ batchId }, () => steps.monitor(batchId));
    if (outcome !== 'poll') return outcome;
    await job.moveToDelayed(Date.now() + pollTimeMs, token);
    throw new DelayedError();
  };
}
