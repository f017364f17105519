import type { BatchJobRecord, BatchRecord, DispatchableJob, NewBatchJob, Sql } from '@libs/persistence';
import type { BatchJobStore } from '../batch-stores';
import type { InMemoryBatchTables, JobRow } from './in-memory-batch-tables';

/**
 * Execution-job rows in memory, as `JobRepository` keeps them: created with 3 retries and the batch's
 * suspension, failed for good with retries 0 and the exception message, runnable while they have
 * retries and are active. Row locks are not modelled: the unit tests run one step at a time.
 */
export class InMemoryBatchJobs implements BatchJobStore {
  constructor(private readonly tables: InMemoryBatchTables) {}

  async createBatchJobs(
    _sql: Sql,
    batch: BatchRecord,
    jobs: readonly NewBatchJob[],
    now: Date,
  ): Promise<void> {
    for (const job of jobs) {
      if (this.tables.jobs.has(job.id)) throw new Error(`duplicate job ${job.id}`);
      this.tables.jobs.set(job.id, {
        id: job.id,
        batchId: batch.id,
        jobDefinitionId: batch.batchJobDefinitionId,
        handlerType: batch.type,
        retries: 3,
        suspended: batch.suspended,
        exceptionMessage: null,
        dueDate: null,
        itemFirst: job.firstItemId,
        itemLast: job.lastItemId,
        dispatch: 0,
        created: now,
      });
    }
  }

  async lockBatchJob(_sql: Sql, jobId: string): Promise<BatchJobRecord | undefined> {
    const job = this.tables.jobs.get(jobId);
    if (!job) return undefined;
    const { dispatch: _dispatch, created: _created, ...record } = job;
    return record;
  }

  async deleteBatchJob(_sql: Sql, jobId: string): Promise<boolean> {
    return this.tables.jobs.delete(jobId);
  }

  async failBatchJob(_sql: Sql, jobId: string, message: string): Promise<void> {
    this.update(jobId, { retries: 0, exceptionMessage: message.slice(0, 60_000) });
  }

  async remainingBatchJobs(_sql: Sql, batchJobDefinitionId: string): Promise<number> {
    return this.tables.jobsOfDefinition(batchJobDefinitionId).length;
  }

  async runnableBatchJobs(
    _sql: Sql,
    batchId: string,
    afterId: string,
    limit: number,
  ): Promise<DispatchableJob[]> {
    return this.ofBatch(batchId)
      .filter((job) => job.id > afterId && job.retries > 0 && !job.suspended)
      .slice(0, limit)
      .map(dispatchable);
  }

  async jobsOfBatch(_sql: Sql, batchId: string): Promise<DispatchableJob[]> {
    return this.ofBatch(batchId).map(dispatchable);
  }

  /**
   * What `PUT /job/{id}/retries` does to an execution job (`JobRepository.setRetries`): new retries, a
   * new dispatch generation and, when given, a due date. Not part of the steps' port: tests call it.
   */
  setRetries(jobId: string, retries: number, dueDate?: Date): DispatchableJob {
    const job = { ...this.row(jobId), retries, ...(dueDate ? { dueDate } : {}) };
    this.tables.jobs.set(jobId, { ...job, dispatch: job.dispatch + 1 });
    return dispatchable(this.row(jobId));
  }

  /** The stored row of a job (tests read retries, messages and generations from it). */
  row(jobId: string): JobRow {
    const job = this.tables.jobs.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    return job;
  }

  private ofBatch(batchId: string): JobRow[] {
    return [...this.tables.jobs.values()]
      .filter((job) => job.batchId === batchId)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** Changes a row if it exists (an UPDATE of a deleted row changes nothing). */
  private update(jobId: string, change: Partial<JobRow>): void {
    const job = this.tables.jobs.get(jobId);
    if (job) this.tables.jobs.set(jobId, { ...job, ...change });
  }
}

function dispatchable(job: JobRow): DispatchableJob {
  return { id: job.id, dispatch: job.dispatch, dueDate: job.dueDate };
}
