import type { DataSource } from 'typeorm';
import { fireTimer, NotFoundException, ProcessEngineException, type EngineResult } from '@libs/engine';
import { placeholders, sqlOf, type Sql } from '@libs/persistence';
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

/** Timer jobs: firing them from the queue, failures and retries, and keeping the queue in step with the rows. */
export class JobService {
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

  /** Records a failed attempt on the job row: one retry less, the error message kept. Returns the retries left. */
  async recordFailure(jobId: string, error: unknown): Promise<number> {
    const message = error instanceof Error ? error.message : String(error);
    const sql = sqlOf(this.dataSource);
    await sql.execute(
      'UPDATE ru_job SET retries = GREATEST(retries - 1, 0), exception_message = ? WHERE id = ?',
      [message.slice(0, 4000), jobId],
    );
    const [row] = await sql.select<{ retries: number }>('SELECT retries FROM ru_job WHERE id = ?', [jobId]);
    return row ? Number(row.retries) : 0;
  }

  /** Sets a job's retries (a failed job with retries > 0 runs again at once, or at `dueDate`). */
  async setRetries(jobId: string, retries: number, dueDate?: Date | null): Promise<void> {
    const sql = sqlOf(this.dataSource);
    const changed = await sql.execute(
      `UPDATE ru_job SET retries = ?${dueDate ? ', due_date = ?' : ''} WHERE id = ?`,
      dueDate ? [Math.max(0, retries), dueDate, jobId] : [Math.max(0, retries), jobId],
    );
    if (changed === 0 && !(await this.exists(sql, jobId)))
      throw new ProcessEngineException(`ENGINE-13053 No job found with id '${jobId}'.'`);
    if (retries > 0) await this.reschedule(sql, [jobId]);
  }

  /** Moves a timer's due date and re-schedules it. */
  async setDueDate(jobId: string, dueDate: Date): Promise<void> {
    const sql = sqlOf(this.dataSource);
    if (
      (await sql.execute('UPDATE ru_job SET due_date = ? WHERE id = ?', [dueDate, jobId])) === 0 &&
      !(await this.exists(sql, jobId))
    ) {
      throw new NotFoundException(`No job found with id '${jobId}'`);
    }
    await this.scheduler.cancel([jobId]);
    await this.reschedule(sql, [jobId]);
  }

  /**
   * Schedules every timer row due before `horizon` (default: the next ten minutes) again, page by page.
   * Scheduling is idempotent, so this only repairs what the queue lost (e.g. after Redis lost its data).
   */
  async reconcile(horizonMs = 10 * 60_000, pageSize = 1_000): Promise<number> {
    const sql = sqlOf(this.dataSource);
    const horizon = new Date(this.clock().getTime() + horizonMs);
    let after = '';
    let total = 0;
    for (;;) {
      const rows = await sql.select<{ id: string; due_date: Date }>(
        'SELECT id, due_date FROM ru_job WHERE id > ? AND retries > 0 AND due_date <= ? ORDER BY id LIMIT ?',
        [after, horizon, pageSize],
      );
      if (rows.length === 0) return total;
      await this.scheduler.schedule(rows.map((row) => ({ jobId: row.id, dueDate: row.due_date })));
      total += rows.length;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Schedules the timers of given instances again (after activation, their jobs may run). */
  async rescheduleInstances(instanceIds: readonly string[]): Promise<void> {
    if (instanceIds.length === 0) return;
    const rows = await sqlOf(this.dataSource).select<{ id: string; due_date: Date }>(
      `SELECT id, due_date FROM ru_job WHERE process_instance_id IN (${placeholders(instanceIds.length)}) AND retries > 0`,
      instanceIds,
    );
    await this.scheduler.schedule(rows.map((row) => ({ jobId: row.id, dueDate: row.due_date })));
  }

  private async reschedule(sql: Sql, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    const rows = await sql.select<{ id: string; due_date: Date }>(
      `SELECT id, due_date FROM ru_job WHERE id IN (${placeholders(jobIds.length)})`,
      jobIds,
    );
    await this.scheduler.schedule(rows.map((row) => ({ jobId: row.id, dueDate: row.due_date })));
  }

  private async exists(sql: Sql, jobId: string): Promise<boolean> {
    return (await sql.select('SELECT 1 FROM ru_job WHERE id = ?', [jobId])).length > 0;
  }
}
