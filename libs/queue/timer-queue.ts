import type { Queue } from 'bullmq';
import { JOB_PAYLOADS, QUEUES, type JobPayload } from './queue-names';
import type { QueueFactory } from './queue-factory';

/** BullMQ job id of a timer job row: deterministic, so scheduling twice is a no-op. */
export function timerJobId(jobId: string): string {
  return `timer-${jobId}`;
}

/**
 * Schedules timer job rows as delayed BullMQ jobs. Fired or failed jobs are removed from Redis at once:
 * the job row in MySQL is the record (and a fired timer's row is gone).
 */
export class TimerQueue {
  readonly queue: Queue<JobPayload<'timer'>>;

  constructor(
    factory: QueueFactory,
    private readonly now: () => number = Date.now,
  ) {
    this.queue = factory.queue<JobPayload<'timer'>>(QUEUES.timer, {
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
  }

  async schedule(timers: ReadonlyArray<{ jobId: string; dueDate: Date }>): Promise<void> {
    await this.queue.addBulk(
      timers.map((timer) => ({
        name: 'fire',
        data: JOB_PAYLOADS.timer.parse({ jobId: timer.jobId }),
        opts: { jobId: timerJobId(timer.jobId), delay: Math.max(0, timer.dueDate.getTime() - this.now()) },
      })),
    );
  }

  async cancel(jobIds: readonly string[]): Promise<void> {
    await Promise.all(jobIds.map((jobId) => this.queue.remove(timerJobId(jobId))));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
