import type { JobRecord, RetriedJob, StoredJobKind } from '@libs/persistence';
import type { JobPayload, QueueName } from '@libs/queue';

/**
 * Every kind of job: a job of each kind is run by a worker from its queue. Timers, asynchronous
 * continuations and batch execution jobs are also `ru_job` rows (see {@link StoredJobKind}); a batch's
 * seed and monitor jobs live in the queue only.
 */
export type JobKind = QueueName;

/** What came of running a job from its queue. */
export type JobRun =
  /** Done for now; `outcome` says how (the queue keeps it as the job's result). */
  | { readonly status: 'done'; readonly outcome: string }
  /** Not yet: run again at `at` (not due yet, or a monitor that polls). */
  | { readonly status: 'later'; readonly at: Date }
  /**
   * The process failed the job: recorded on its row. With retries left the queue retries it (with
   * back-off); `final`: none left, it waits for new retries.
   */
  | { readonly status: 'failed'; readonly error: Error; readonly final: boolean };

/** Runs the jobs of one kind from their queue entries. */
export interface JobHandler<K extends JobKind> {
  run(payload: JobPayload<K>): Promise<JobRun>;
}

/** A kind of job with `ru_job` rows: the REST API addresses its jobs by id. */
export interface StoredJobHandler<K extends StoredJobKind> extends JobHandler<K> {
  /**
   * Runs the job now, whatever its due date (`POST /job/{id}/execute`).
   * @throws ProcessEngineException when the process fails it (the failure is recorded on the job).
   */
  execute(job: JobRecord): Promise<void>;
  /** Puts jobs whose retries or due date were set (and committed) back in the queue, due at their due date. */
  schedule(jobs: readonly RetriedJob[]): Promise<void>;
  /**
   * Deletes the job (`DELETE /job/{id}`).
   * @throws NotFoundException when it is gone (e.g. a run in progress completed it).
   */
  delete(job: JobRecord): Promise<void>;
}

/** One handler per job kind, stored kinds with their row operations: a kind without one does not compile. */
export type JobHandlers = {
  readonly [K in JobKind]: K extends StoredJobKind ? StoredJobHandler<K> : JobHandler<K>;
};
