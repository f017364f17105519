import type { DataSource } from 'typeorm';
import {
  fireTimer,
  NotFoundException,
  ProcessEngineException,
  SuspendedEntityInteractionException,
  type EngineResult,
} from '@libs/engine';
import {
  JobRepository,
  sqlOf,
  type JobQuery,
  type JobRecord,
  type JobSortKey,
  type Page,
  type Sorting,
} from '@libs/persistence';
import { isTransientSqlError, retriedTransaction } from './retry';
import type { RuntimeService } from './runtime.service';
import type { TimerScheduler } from './timer-scheduler';

/** What happened when a worker picked up a timer job. */
export type TimerOutcome =
  | { readonly kind: 'fired' }
  /** The job row is gone: fired already, or its activity ended. Nothing to do. */
  | { readonly kind: 'gone' }
  /** The due date moved into the future (e.g. `PUT /job/{id}/duedate`): wake up again then. */
  | { readonly kind: 'notDue'; readonly dueDate: Date }
  /** The instance is suspended: its jobs do not run until it is activated. */
  | { readonly kind: 'suspended' };

/** Camunda's message for a job id that names no job (its typo included). */
const noJob = (jobId: string) => new NotFoundException(`ENGINE-13053 No job found with id '${jobId}'.'`);

/**
 * Timer jobs: queries, firing them from the queue or on request, failures and retries, and keeping
 * the queue in step with the rows (the rows are the truth).
 */
export class JobService {
  private readonly repository = new JobRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly runtime: RuntimeService,
    private readonly scheduler: TimerScheduler,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Fires a timer job if it is still there and due (`force`: regardless of its due date, as
   * `POST /job/{id}/execute` does).
   */
  async fire(jobId: string, options: { force?: boolean } = {}): Promise<TimerOutcome> {
    let outcome: TimerOutcome = { kind: 'fired' };
    try {
      await this.runtime.updateOwnerOf(
        'ru_job',
        jobId,
        (model, state, ctx): EngineResult => {
          const job = state.jobs.find((candidate) => candidate.id === jobId);
          if (job && !options.force && job.dueDate > ctx.now) {
            outcome = { kind: 'notDue', dueDate: job.dueDate };
            return { state, effects: [] };
          }
          if (state.suspended && !options.force) {
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
   * Fires a job now, whatever its due date (`POST /job/{id}/execute`). A failure of the process costs
   * the job one retry and records the message, as a failure in a worker does; the error is rethrown.
   * @throws NotFoundException when there is no such job.
   */
  async execute(jobId: string): Promise<void> {
    try {
      await this.fire(jobId, { force: true });
    } catch (error) {
      const processFailure =
        error instanceof ProcessEngineException &&
        !(error instanceof NotFoundException) &&
        !(error instanceof SuspendedEntityInteractionException);
      if (processFailure && !isTransientSqlError(error)) await this.recordFailure(jobId, error);
      throw error;
    }
    // The job has fired and its row is gone. Dropping its delayed queue entry only tidies Redis: if
    // that fails, the entry wakes up at the old due date, finds no row and ends as `gone`. So the
    // committed execution is never reported as failed because of it.
    await this.scheduler.cancel([jobId]).catch(() => undefined);
  }

  getJob(jobId: string): Promise<JobRecord | undefined> {
    return this.repository.find(sqlOf(this.dataSource), jobId);
  }

  queryJobs(query: JobQuery, page?: Page, sorting?: Sorting<JobSortKey>[]): Promise<JobRecord[]> {
    return this.repository.query(sqlOf(this.dataSource), query, this.clock(), page, sorting);
  }

  countJobs(query: JobQuery): Promise<number> {
    return this.repository.count(sqlOf(this.dataSource), query, this.clock());
  }

  /** Records a failed attempt on the job row: one retry less, the error message kept. Returns the retries left. */
  async recordFailure(jobId: string, error: unknown): Promise<number> {
    const message = error instanceof Error ? error.message : String(error);
    return retriedTransaction(this.dataSource, (sql) => this.repository.recordFailure(sql, jobId, message));
  }

  /**
   * Sets a job's retries (negative values count as 0). A job with retries left runs again at its due
   * date, which `dueDate` replaces when given (`null`: due now). Its old queue entry (a failed BullMQ
   * job keeps its id) is replaced, so the job really runs again.
   * @throws NotFoundException (ENGINE-13053) when there is no such job.
   */
  async setRetries(jobId: string, retries: number, dueDate?: Date | null): Promise<void> {
    const due = dueDate === undefined ? undefined : (dueDate ?? this.clock());
    const found = await retriedTransaction(this.dataSource, (sql) =>
      this.repository.setRetries(sql, [jobId], Math.max(0, retries), due),
    );
    if (found.length === 0) throw noJob(jobId);
    await this.rescheduleJobs([jobId]);
  }

  /**
   * Moves a job's due date (`null`: due now) and re-schedules it if it has retries left.
   * @throws NotFoundException when there is no such job.
   */
  async setDueDate(jobId: string, dueDate: Date | null): Promise<void> {
    const due = dueDate ?? this.clock();
    const found = await retriedTransaction(this.dataSource, (sql) =>
      this.repository.setDueDate(sql, jobId, due),
    );
    if (!found) throw new NotFoundException(`No job found with id '${jobId}'.`);
    await this.rescheduleJobs([jobId]);
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

  /** Schedules the timers of given instances again (after activation, their jobs may run). */
  async rescheduleInstances(instanceIds: readonly string[]): Promise<void> {
    const sql = sqlOf(this.dataSource);
    await this.scheduler.schedule(await this.repository.runnableTimersOfInstances(sql, instanceIds));
  }
}
