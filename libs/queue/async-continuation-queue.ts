import type { Queue } from 'bullmq';
import { JOB_PAYLOADS, QUEUES, type JobPayload } from './queue-names';
import type { QueueFactory } from './queue-factory';

/** BullMQ job id of an asynchronous-continuation job row: deterministic, so dispatching twice is a no-op. */
export function asyncContinuationJobId(jobId: string): string {
  return `async-${jobId}`;
}

/**
 * Dispatches asynchronous-continuation job rows to workers, runnable at once. A run that the process
 * fails was recorded on the row (retries − 1); while retries are left BullMQ runs it again after a short
 * back-off (Camunda retries at once; the back-off only spares a hot loop), and a job out of retries is
 * dropped from Redis: the row (with its incident) is the record, and new retries dispatch it again.
 */
export class AsyncContinuationQueue {
  readonly queue: Queue<JobPayload<'async-continuation'>>;

  constructor(factory: QueueFactory) {
    this.queue = factory.queue<JobPayload<'async-continuation'>>(QUEUES.asyncContinuation, {
      defaultJobOptions: {
        // More attempts than the row's 3 retries: the row decides when the job has failed for good.
        attempts: 10,
        backoff: { type: 'exponential', delay: 200 },
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
  }

  async dispatch(jobIds: readonly string[]): Promise<void> {
    await this.queue.addBulk(
      jobIds.map((jobId) => ({
        name: 'continue',
        data: JOB_PAYLOADS['async-continuation'].parse({ jobId }),
        opts: { jobId: asyncContinuationJobId(jobId) },
      })),
    );
  }

  async cancel(jobIds: readonly string[]): Promise<void> {
    await Promise.all(jobIds.map((jobId) => this.queue.remove(asyncContinuationJobId(jobId))));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
