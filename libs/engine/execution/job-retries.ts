/**
 * What a failed run does to a job's retries and due date, as Camunda's `DefaultJobRetryCmd` decides:
 * - without a retry cycle: one retry less, the due date unchanged (the job runs again at once);
 * - with one: the first failure (no exception stored yet) resets the retries to the cycle's count; the
 *   job waits the cycle's interval for its counter (see `retryInterval`) and loses one retry.
 * Pure: "now" is passed in.
 */
import { retryInterval, type RetryCycle } from '@libs/bpmn';
import { addDuration } from './timers';

/** The job as its failure finds it. */
export interface FailingJob {
  readonly retries: number;
  /** The message of the previous failure; `null`: this is the first. */
  readonly exceptionMessage: string | null;
}

/** The job's retries after the failure and its new due date (`undefined`: unchanged). */
export interface JobRetry {
  readonly retries: number;
  readonly dueDate: Date | undefined;
}

export function nextJobRetry(job: FailingJob, cycle: RetryCycle | undefined, now: Date): JobRetry {
  if (cycle === undefined) return { retries: Math.max(job.retries - 1, 0), dueDate: undefined };
  const retries = job.exceptionMessage === null ? cycle.retries : job.retries;
  return {
    retries: Math.max(retries - 1, 0),
    dueDate: addDuration(now, retryInterval(cycle, retries)),
  };
}
