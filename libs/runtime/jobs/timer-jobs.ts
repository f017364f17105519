import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import {
  BadUserRequestException,
  fireTimer,
  followingStartTimer,
  NotFoundException,
  startTimerJob,
  type EngineResult,
} from '@libs/engine';
import type { Logger } from '@libs/logging';
import {
  ProcessDefinitionRepository,
  sqlOf,
  StartTimerRepository,
  type JobRecord,
  type JobRepository,
  type RetriedJob,
  type StoredStartTimer,
} from '@libs/persistence';
import type { JobPayload } from '@libs/queue';
import type { RuntimeService } from '../runtime.service';
import type { TimerScheduler } from '../timer-scheduler';
import type { JobRun, StoredJobHandler } from './job-handler';
import { JobFailures, type RecordedFailure } from './process-failure';

/** What happened when a worker picked up a timer job. */
export type TimerOutcome =
  | { readonly kind: 'fired' }
  /** The job row is gone: fired already, or its activity ended. Nothing to do. */
  | { readonly kind: 'gone' }
  /** The due date moved into the future (e.g. `PUT /job/{id}/duedate`): wake up again then. */
  | { readonly kind: 'notDue'; readonly dueDate: Date }
  /** The job or its instance is suspended: it does not run until activated. */
  | { readonly kind: 'suspended' };

/**
 * Timer jobs of process instances: firing them from the queue or on request, failures, and keeping the
 * queue in step with the rows (the rows are the truth).
 */
export class TimerJobs implements StoredJobHandler<'timer'> {
  private readonly failures: JobFailures;
  private readonly startTimers = new StartTimerRepository();
  private readonly definitions = new ProcessDefinitionRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: JobRepository,
    private readonly runtime: RuntimeService,
    private readonly scheduler: TimerScheduler,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.failures = new JobFailures(dataSource, repository, (id) => runtime.model(id), clock);
  }

  /**
   * Fires a timer a worker picked up. A failure of the process itself (e.g. no outgoing flow can be
   * selected after the timer) costs the job one retry and records the message, as Camunda does; at zero
   * retries the job is a failed job until someone sets its retries again. Transient failures (lost
   * connection, deadlock) are thrown, for the queue to retry with back-off.
   */
  run({ jobId }: JobPayload<'timer'>): Promise<JobRun> {
    return this.failures.run(
      jobId,
      async () => {
        const outcome = await this.fire(jobId);
        return outcome.kind === 'notDue'
          ? { status: 'later', at: outcome.dueDate }
          : { status: 'done', outcome: outcome.kind };
      },
      (retriesLeft, error) =>
        this.logger.warn('timer job failed', { jobId, retriesLeft, error: error.message }),
    );
  }

  /**
   * Fires a timer job if it is still there and due (`force`: regardless of its due date, as
   * `POST /job/{id}/execute` does).
   */
  async fire(jobId: string, options: { force?: boolean } = {}): Promise<TimerOutcome> {
    const startTimer = await this.startTimers.find(sqlOf(this.dataSource), jobId);
    if (startTimer !== undefined) return this.fireStartTimer(startTimer, options.force === true);
    let outcome: TimerOutcome = { kind: 'fired' };
    try {
      await this.runtime.updateOwnerOf(
        'job',
        jobId,
        (model, state, ctx): EngineResult => {
          const job = state.jobs.find((candidate) => candidate.id === jobId);
          if (job && !options.force && job.dueDate > ctx.now) {
            outcome = { kind: 'notDue', dueDate: job.dueDate };
            return { state, effects: [] };
          }
          if ((state.suspended || job?.suspended) && !options.force) {
            outcome = { kind: 'suspended' };
            return { state, effects: [] };
          }
          return fireTimer(model, state, { jobId }, ctx);
        },
        () => new NotFoundException(`No job found with id '${jobId}'`),
      );
    } catch (error) {
      if (error instanceof NotFoundException && !options.force) return { kind: 'gone' };
      throw error;
    }
    return outcome;
  }

  /**
   * Fires a timer start job: starts an instance of its definition through the timer start event and,
   * in the same transaction, consumes the job (claimed under a row lock, so two workers never both
   * start an instance) and, for a cycle with repetitions left, creates the next one.
   */
  private async fireStartTimer(job: StoredStartTimer, force: boolean): Promise<TimerOutcome> {
    const now = this.clock();
    if (!force && job.dueDate > now) return { kind: 'notDue', dueDate: job.dueDate };
    if (!force && job.suspended) return { kind: 'suspended' };
    const definition = await this.definitions.find(sqlOf(this.dataSource), job.definitionId);
    if (definition === undefined) return gone(jobId(job), force);
    if (!force && definition.suspended) return { kind: 'suspended' };
    const fresh = startTimerJob(await this.runtime.model(definition.id), definition.id, now, randomUUID);
    const following = followingStartTimer(job, randomUUID, fresh?.retries ?? job.retries);
    let claimed = false;
    await this.runtime
      .start(
        definition,
        [{ businessKey: null, variables: {}, startEventId: job.activityId }],
        async (sql) => {
          claimed = (await this.startTimers.find(sql, job.id, true)) !== undefined;
          if (!claimed) throw new NotFoundException(`No job found with id '${job.id}'`);
          await this.startTimers.delete(sql, [job.id]);
          if (following !== null) await this.startTimers.insert(sql, [following], now, () => definition.key);
        },
      )
      .catch((error: unknown) => {
        if (!claimed && error instanceof NotFoundException && !force) return [];
        throw error;
      });
    if (!claimed) return { kind: 'gone' };
    if (following !== null)
      await this.scheduler.schedule([{ jobId: following.id, dueDate: following.dueDate }]);
    return { kind: 'fired' };
  }

  /**
   * Fires a job now, whatever its due date (`POST /job/{id}/execute`). A failure of the process costs
   * the job one retry and records the message, as a failure in a worker does; the error is rethrown.
   * @throws NotFoundException when there is no such job.
   */
  async execute({ id: jobId }: JobRecord): Promise<void> {
    await this.failures.execute(jobId, () => this.fire(jobId, { force: true }));
    // The job has fired and its row is gone. Dropping its delayed queue entry only tidies Redis: if
    // that fails, the entry wakes up at the old due date, finds no row and ends as `gone`. So the
    // committed execution is never reported as failed because of it.
    await this.scheduler.cancel([jobId]).catch(() => undefined);
  }

  /**
   * Records a failed attempt on the job row (see `JobFailures`: retries by the event's retry cycle, the
   * exception kept, the job log entry, the incident at 0 retries). Returns the retries left and due date.
   */
  recordFailure(jobId: string, error: Error): Promise<RecordedFailure> {
    return this.failures.record(jobId, error);
  }

  /** Schedules timers anew from their rows, after their retries or due dates were set. */
  async schedule(jobs: readonly RetriedJob[]): Promise<void> {
    await this.rescheduleJobs(jobs.map((job) => job.id));
  }

  /** A timer is part of its instance's state: only batch jobs can be deleted. */
  async delete(job: JobRecord): Promise<void> {
    throw new BadUserRequestException(
      `Job '${job.id}' is a timer of a process instance; only batch jobs can be deleted (deleting it would strand its token: cancel the waiting activity with a process-instance modification instead)`,
    );
  }

  /**
   * Schedules every timer row due before `horizon` (default: the next ten minutes) again, page by page.
   * Scheduling is idempotent, so this only repairs what the queue lost (e.g. after Redis lost its data).
   */
  async reconcile(horizonMs = 10 * 60_000, pageSize = 1_000): Promise<number> {
    const sql = sqlOf(this.dataSource);
    const horizon = new Date(this.clock().getTime() + horizonMs);
    let total = 0;
    for (let after = ''; ;) {
      const due = await this.repository.timersDue(sql, after, horizon, pageSize);
      if (due.length === 0) return total;
      await this.scheduler.schedule(due);
      total += due.length;
      after = due[due.length - 1]!.jobId;
    }
  }

  /** Schedules timer jobs anew from their rows (after their retries or due dates were set). */
  async rescheduleJobs(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.scheduler.cancel(jobIds);
    await this.scheduler.schedule(await this.repository.runnableTimers(sqlOf(this.dataSource), jobIds));
  }
}

const jobId = (job: StoredStartTimer) => job.id;

function gone(id: string, force: boolean): TimerOutcome {
  if (force) throw new NotFoundException(`No job found with id '${id}'`);
  return { kind: 'gone' };
}
