import type { DataSource } from 'typeorm';
import { BadUserRequestException, executeAsyncJob, NotFoundException, type EngineResult } from '@libs/engine';
import type { Logger } from '@libs/logging';
import { sqlOf, type JobRecord, type JobRepository, type RetriedJob } from '@libs/persistence';
import type { JobPayload } from '@libs/queue';
import type { AsyncJobDispatcher } from '../async-job-dispatcher';
import type { RuntimeService } from '../runtime.service';
import type { JobRun, StoredJobHandler } from './job-handler';
import { JobFailures, type RecordedFailure } from './process-failure';

/** What happened when a worker picked up an asynchronous continuation. */
export type AsyncJobOutcome =
  | { readonly kind: 'continued' }
  /** The job row is gone: it ran already, or its scope was cancelled. Nothing to do. */
  | { readonly kind: 'gone' }
  /** The job (or its instance) is suspended: it runs once activated. */
  | { readonly kind: 'suspended' }
  /** No retries left (a stale dispatch of a failed job): it waits for new retries. */
  | { readonly kind: 'failed' }
  /** Its due date lies ahead (a retry cycle's wait, or one set through REST): run it again then. */
  | { readonly kind: 'notDue'; readonly dueDate: Date };

/**
 * Asynchronous continuations of process instances (`camunda:asyncBefore`/`asyncAfter`): running them
 * from the queue or on request, failures with retries and incidents, and keeping the queue in step with
 * the rows (the rows are the truth). Exclusive jobs of one instance never run on stale state: each run
 * locks its instance first, so they run one after the other.
 */
export class AsyncContinuationJobs implements StoredJobHandler<'async-continuation'> {
  private readonly failures: JobFailures;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: JobRepository,
    private readonly runtime: RuntimeService,
    private readonly dispatcher: AsyncJobDispatcher,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.failures = new JobFailures(dataSource, repository, (id) => runtime.model(id), clock);
  }

  /**
   * Runs a job a worker picked up. A failure of the process (e.g. a condition that cannot be
   * evaluated) rolls the step back; then, in a transaction of its own, the job loses one retry and
   * keeps the exception, as in Camunda; at zero retries it gets a `failedJob` incident and waits for new
   * retries. Transient failures (lost connection, deadlock) are thrown, for the queue to retry.
   */
  run({ jobId }: JobPayload<'async-continuation'>): Promise<JobRun> {
    return this.failures.run(
      jobId,
      async () => {
        const outcome = await this.continue(jobId);
        return outcome.kind === 'notDue'
          ? { status: 'later', at: outcome.dueDate }
          : { status: 'done', outcome: outcome.kind };
      },
      (retriesLeft, error) =>
        this.logger.warn('async continuation failed', { jobId, retriesLeft, error: error.message }),
    );
  }

  /**
   * Continues the job's token if the job is still there, has retries and its instance is active
   * (`force`: whatever its retries and suspension, as `POST /job/{id}/execute` does).
   */
  async continue(jobId: string, options: { force?: boolean } = {}): Promise<AsyncJobOutcome> {
    let outcome: AsyncJobOutcome = { kind: 'continued' };
    try {
      await this.runtime.updateOwnerOf(
        'job',
        jobId,
        (model, state, ctx): EngineResult => {
          const job = state.asyncJobs.find((candidate) => candidate.id === jobId);
          // The job's own suspension (its definition's, or set on it), or its instance's.
          if (job && !options.force && (job.suspended || state.suspended)) {
            outcome = { kind: 'suspended' };
            return { state, effects: [] };
          }
          if (job && !options.force && job.retries === 0) {
            outcome = { kind: 'failed' };
            return { state, effects: [] };
          }
          if (job?.dueDate && !options.force && job.dueDate > ctx.now) {
            outcome = { kind: 'notDue', dueDate: job.dueDate };
            return { state, effects: [] };
          }
          return executeAsyncJob(model, state, { jobId }, ctx);
        },
        () => new NotFoundException(`No job found with id '${jobId}'`, { entity: 'job', id: jobId }),
      );
    } catch (error) {
      if (error instanceof NotFoundException && !options.force) return { kind: 'gone' };
      throw error;
    }
    return outcome;
  }

  /**
   * Runs the job now (`POST /job/{id}/execute`). A failure of the process costs the job one retry, as a
   * failure in a worker does; the error is rethrown.
   */
  execute({ id: jobId }: JobRecord): Promise<void> {
    return this.failures.execute(jobId, () => this.continue(jobId, { force: true }));
  }

  /** Records a failed run on the job row (see `JobFailures`); returns the retries left and due date. */
  recordFailure(jobId: string, error: Error): Promise<RecordedFailure> {
    return this.failures.record(jobId, error);
  }

  /** Dispatches jobs again after their retries were set (a job without retries stays parked). */
  async schedule(jobs: readonly RetriedJob[]): Promise<void> {
    const runnable = jobs.filter((job) => job.retries > 0).map((job) => job.id);
    if (runnable.length === 0) return;
    await this.dispatcher.cancel(runnable);
    await this.dispatcher.dispatch(runnable);
  }

  /** An asynchronous continuation is part of its instance's state: only batch jobs can be deleted. */
  async delete(job: JobRecord): Promise<void> {
    throw new BadUserRequestException(
      `Job '${job.id}' is an asynchronous continuation of a process instance; only batch jobs can be deleted (deleting it would strand its token: cancel its transition instance with a process-instance modification instead)`,
    );
  }

  /**
   * Dispatches every runnable job row again (retries left, instance active), page by page. Dispatching
   * is idempotent, so this only repairs what the queue lost (e.g. after Redis lost its data).
   */
  async reconcile(pageSize = 1_000, instanceIds?: readonly string[]): Promise<number> {
    const sql = sqlOf(this.dataSource);
    let total = 0;
    for (let after = ''; ;) {
      const jobIds = await this.repository.runnableAsyncJobs(sql, after, pageSize, instanceIds);
      if (jobIds.length === 0) return total;
      await this.dispatcher.dispatch(jobIds);
      total += jobIds.length;
      after = jobIds[jobIds.length - 1]!;
    }
  }
}
