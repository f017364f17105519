import type { Queue } from 'bullmq';
import { JOB_PAYLOADS, QUEUES, type JobPayload } from './queue-names';
import type { QueueFactory } from './queue-factory';

/** An execution job to dispatch: its row id and dispatch generation (see the `dispatch` columns). */
export interface ExecutionJobRef {
  readonly id: string;
  readonly dispatch: number;
  /** Not before then (null or absent: at once). */
  readonly dueDate?: Date | null;
  /** Its slice of the batch's items, when known. */
  readonly itemFirst?: number;
  readonly itemLast?: number;
}

/** A queue entry's name: what an operator sees in Bull Board (type and item slice when known). */
export function executionJobName(type: string | undefined, job: ExecutionJobRef): string {
  const slice =
    job.itemFirst === undefined || job.itemLast === undefined
      ? ''
      : ` items ${job.itemFirst}-${job.itemLast}`;
  return `${type ?? 'batch'} execution${slice}`;
}

/**
 * BullMQ job ids of batch work: deterministic, so dispatching twice is a no-op. They include a
 * generation that grows whenever the work becomes runnable again (progress, activation, new retries),
 * because BullMQ also ignores an add while the entry that is just parking the work still exists.
 */
export const batchJobIds = {
  seed: (batchId: string, generation: number) => `seed-${batchId}-${generation}`,
  execution: (job: ExecutionJobRef) => `exec-${job.id}-${job.dispatch}`,
  monitor: (batchId: string) => `monitor-${batchId}`,
};

const RETRY_TRANSIENT = {
  attempts: 25,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/**
 * The three batch queues. They carry ids only; MySQL holds every batch's state, so any of these jobs
 * may be lost (the reconciler re-dispatches) or run twice (the handlers are idempotent).
 */
export class BatchQueues {
  readonly seed: Queue<JobPayload<'batch-seed'>>;
  readonly execution: Queue<JobPayload<'batch-execution'>>;
  readonly monitor: Queue<JobPayload<'batch-monitor'>>;

  constructor(factory: QueueFactory) {
    this.seed = factory.queue(QUEUES.batchSeed, { defaultJobOptions: RETRY_TRANSIENT });
    this.execution = factory.queue(QUEUES.batchExecution, { defaultJobOptions: RETRY_TRANSIENT });
    this.monitor = factory.queue(QUEUES.batchMonitor, { defaultJobOptions: RETRY_TRANSIENT });
  }

  async dispatchSeed(batchId: string, generation: number): Promise<void> {
    await this.seed.add('seed', JOB_PAYLOADS['batch-seed'].parse({ batchId }), {
      jobId: batchJobIds.seed(batchId, generation),
    });
  }

  /** Execution jobs to run, each at once or, with a due date in the future, delayed until then. */
  async dispatchExecution(batchId: string, jobs: readonly ExecutionJobRef[], type?: string): Promise<void> {
    if (jobs.length === 0) return;
    const now = Date.now();
    await this.execution.addBulk(
      jobs.map((job) => {
        const delay = job.dueDate ? job.dueDate.getTime() - now : 0;
        return {
          name: executionJobName(type, job),
          data: JOB_PAYLOADS['batch-execution'].parse({
            batchId,
            jobId: job.id,
            type,
            itemFirst: job.itemFirst,
            itemLast: job.itemLast,
          }),
          opts: { jobId: batchJobIds.execution(job), ...(delay > 0 ? { delay } : {}) },
        };
      }),
    );
  }

  /** Makes sure the batch's monitor job exists; `now` pulls a waiting (delayed) one forward. */
  async dispatchMonitor(batchId: string, options: { now: boolean }): Promise<void> {
    const id = batchJobIds.monitor(batchId);
    const job = await this.monitor.add('monitor', JOB_PAYLOADS['batch-monitor'].parse({ batchId }), {
      jobId: id,
    });
    if (options.now && (await job.isDelayed())) await job.promote().catch(() => undefined);
  }

  /** Removes queued work of a batch (best effort: handlers ignore work whose rows are gone). */
  async removeBatchWork(
    batchId: string,
    executionJobs: readonly ExecutionJobRef[],
    seedGenerations: readonly number[],
  ): Promise<void> {
    const removals = [
      ...executionJobs.map((job) => this.execution.remove(batchJobIds.execution(job))),
      ...seedGenerations.map((generation) => this.seed.remove(batchJobIds.seed(batchId, generation))),
      this.monitor.remove(batchJobIds.monitor(batchId)),
    ];
    await Promise.allSettled(removals);
  }

  async close(): Promise<void> {
    await Promise.all([this.seed.close(), this.execution.close(), this.monitor.close()]);
  }
}
