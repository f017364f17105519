import { failureReason } from './failure-reason';
import { randomUUID } from 'node:crypto';
import { ProcessEngineException } from '@libs/engine';
import {
  type BatchRecord,
  type ItemOutcome,
  type NewBatchJob,
  type ProcessInstanceQuery,
  type Transactions,
} from '@libs/persistence';
import type { Logger } from '@libs/logging';
import { itemError, jobExceptionMessage } from './batch-errors';
import type { BatchStores, InstanceApplier } from './batch-stores';
import {
  NO_BATCH_OBSERVER,
  seedGeneration,
  handlesItems,
  type BatchObserver,
  type BatchDispatcher,
  type BatchHandlers,
  type BatchSettings,
  type BatchType,
  type ItemsOperation,
} from './batch-types';

export type SeedOutcome = 'gone' | 'parked' | 'seeding' | 'seeded';
export type ExecutionOutcome = 'gone' | 'parked' | 'not-due' | 'failed-before' | 'done' | 'failed';
export type MonitorOutcome = 'gone' | 'poll' | 'completed';

/**
 * The three kinds of batch work, each safe to run twice and to lose (MySQL holds the truth):
 * - seed: turns the selection into items (keyset pages of the query) and items into execution-job rows,
 *   `batchJobsPerSeed` jobs per run, then dispatches them and itself again, or the monitor when done;
 * - execution: applies the operation to the unfinished items of one job, marking each item in the same
 *   transaction as its instance's change, so a re-run changes nothing already done;
 * - monitor: ends the batch once no execution-job row is left.
 */
export class BatchSteps {
  private readonly batches: BatchStores['batches'];
  private readonly work: BatchStores['work'];
  private readonly jobs: BatchStores['jobs'];
  /** Prepared operations per batch: preparing may parse models and plans, once per batch and process. */
  private readonly prepared = new Map<string, Promise<ItemsOperation>>();

  constructor(
    stores: Pick<BatchStores, 'batches' | 'work' | 'jobs'>,
    private readonly transactions: Transactions,
    private readonly runtime: InstanceApplier,
    private readonly handlers: BatchHandlers,
    private readonly dispatcher: BatchDispatcher,
    private readonly settings: BatchSettings,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
    private readonly observer: BatchObserver = NO_BATCH_OBSERVER,
  ) {
    ({ batches: this.batches, work: this.work, jobs: this.jobs } = stores);
  }

  async seed(batchId: string): Promise<SeedOutcome> {
    const current = await this.batches.find(this.transactions.plain(), batchId);
    if (!current) return 'gone';
    if (current.suspended) return 'parked';
    if (!current.selectionDone) await this.materialize(current);

    const created = await this.transactions.run(async (sql) => {
      const batch = await this.batches.find(sql, batchId, { lock: true });
      if (!batch || batch.suspended) return undefined;
      const limit = batch.batchJobsPerSeed * batch.invocationsPerBatchJob;
      const itemIds = await this.work.itemsAfter(sql, batch.id, batch.itemsSliced, limit);
      const jobs = slices(itemIds, batch.invocationsPerBatchJob);
      await this.jobs.createBatchJobs(sql, batch, jobs, this.clock());
      const more = itemIds.length === limit || !batch.selectionDone;
      const jobsCreated = batch.jobsCreated + jobs.length;
      await this.batches.updateProgress(sql, batch.id, {
        jobsCreated: jobs.length,
        ...(itemIds.length > 0 ? { itemsSliced: itemIds[itemIds.length - 1]! } : {}),
        ...(more
          ? {}
          : { seedingDone: true, ...(jobsCreated !== batch.totalJobs ? { totalJobs: jobsCreated } : {}) }),
      });
      return {
        jobs: jobs.map((job) => ({
          id: job.id,
          dispatch: 0,
          itemFirst: job.firstItemId,
          itemLast: job.lastItemId,
        })),
        type: batch.type,
        jobsCreated,
        more,
        generation: seedGeneration({ ...batch, jobsCreated }),
      };
    });
    if (!created) return 'gone';
    this.logger.info('batch seeding', {
      batchId,
      jobsCreated: created.jobsCreated,
      jobs: created.jobs.length,
    });
    await this.dispatcher.dispatchExecution(batchId, created.jobs, created.type);
    if (created.more) {
      await this.dispatcher.dispatchSeed(batchId, created.generation);
      return 'seeding';
    }
    await this.dispatcher.dispatchMonitor(batchId, { now: true });
    return 'seeded';
  }

  /**
   * Runs an execution job: not before its due date unless `force`d (`POST /job/{id}/execute`), not while
   * suspended, not after it failed for good (it waits for new retries).
   */
  async execute(
    batchId: string,
    jobId: string,
    options: { force?: boolean } = {},
  ): Promise<ExecutionOutcome> {
    const started = performance.now();
    let afterCommit = async (): Promise<void> => undefined;
    let startedFirst = false;
    let items = 0;
    let type = '';
    const failures: ProcessEngineException[] = [];
    const outcome = await this.transactions.run(async (sql): Promise<ExecutionOutcome> => {
      const job = await this.jobs.lockBatchJob(sql, jobId);
      if (!job) return 'gone';
      if (job.suspended) return 'parked';
      if (!options.force && job.dueDate !== null && job.dueDate > this.clock()) return 'not-due';
      if (job.retries === 0) return 'failed-before';
      const batch = await this.batches.find(sql, batchId);
      if (!batch) return 'gone';
      if (batch.executionStartTime === null) startedFirst = true;
      type = batch.type;
      const operation = await this.operationOf(batch);
      const unfinished = await this.work.unfinishedItemsOfJob(sql, job);
      items = unfinished.length;
      const applied = await operation(
        sql,
        unfinished.map((item) => item.subjectId),
      );
      afterCommit = applied.afterCommit;
      const outcomes: ItemOutcome[] = unfinished.map((item) => {
        const result = applied.outcomes.get(item.subjectId)!;
        if (result.ok) return { itemId: item.itemId, error: null, reason: null };
        failures.push(result.error);
        return {
          itemId: item.itemId,
          error: itemError(result.error),
          reason: failureReason(`${result.error.type}: ${result.error.message}`),
        };
      });
      // A job that never failed has only pending items: one range row says they are done. After a
      // failed run the items carry their own outcomes, which the retry updates one by one.
      if (failures.length === 0 && job.exceptionMessage === null)
        await this.work.recordJobDone(sql, job, items, this.clock());
      else await this.work.recordOutcomes(sql, outcomes, this.clock());
      if (failures.length === 0) {
        await this.jobs.deleteBatchJob(sql, jobId);
        return 'done';
      }
      await this.jobs.failBatchJob(sql, jobId, jobExceptionMessage(batchId, failures));
      return 'failed';
    });
    await afterCommit();
    // Outside the job's transaction: an UPDATE of the batch row inside it would lock that row until commit
    // and serialise every execution job of the batch. Concurrent first jobs race harmlessly (IS NULL guard).
    if (startedFirst)
      await this.batches.markExecutionStarted(this.transactions.plain(), batchId, this.clock());
    if (outcome === 'done' || outcome === 'failed') {
      this.observer.executionJobRan({
        type,
        done: items - failures.length,
        failed: failures.length,
        seconds: (performance.now() - started) / 1000,
      });
    }
    if (outcome === 'done') {
      this.logger.info('batch job done', {
        batchId,
        batchJobId: jobId,
        items,
        ms: Math.round(performance.now() - started),
      });
      await this.wakeMonitorIfLast(batchId);
    } else if (outcome === 'failed') {
      this.logger.warn('batch job failed', {
        batchId,
        batchJobId: jobId,
        itemsFailed: failures.length,
        firstReason: failures[0]!.message,
      });
    }
    return outcome;
  }

  async monitor(batchId: string): Promise<MonitorOutcome> {
    const ended = await this.transactions.run(async (sql) => {
      const batch = await this.batches.find(sql, batchId, { lock: true });
      if (!batch) return 'gone';
      if (batch.suspended || !batch.seedingDone) return 'poll';
      if ((await this.jobs.remainingBatchJobs(sql, batch.batchJobDefinitionId)) > 0) return 'poll';
      const endTime = this.clock();
      await this.batches.end(sql, batch, endTime);
      this.prepared.delete(batch.id);
      return { totalMs: endTime.getTime() - batch.startTime.getTime() };
    });
    if (typeof ended === 'string') return ended;
    // After commit, from the kept item count: the batch's row lock is not held for a log line.
    const items = await this.work.countItems(this.transactions.plain(), batchId);
    this.logger.info('batch completed', {
      batchId,
      items,
      totalMs: ended.totalMs,
      instancesPerSecond: Math.round((items * 1000) / Math.max(1, ended.totalMs)),
    });
    return 'completed';
  }

  private async materialize(batch: BatchRecord): Promise<void> {
    const query = JSON.parse(batch.selection ?? '{}') as ProcessInstanceQuery;
    await this.transactions.run(async (sql) => {
      const locked = await this.batches.find(sql, batch.id, { lock: true });
      if (!locked || locked.selectionDone) return;
      const cursor = await this.work.materializeSelection(sql, locked, query, this.settings.selectionChunk);
      await this.batches.updateProgress(
        sql,
        batch.id,
        cursor === null
          ? { selectionCursor: locked.selectionHighWater, selectionDone: true }
          : { selectionCursor: cursor },
      );
    });
  }

  private async wakeMonitorIfLast(batchId: string): Promise<void> {
    const sql = this.transactions.plain();
    const batch = await this.batches.find(sql, batchId);
    if (batch?.seedingDone && (await this.jobs.remainingBatchJobs(sql, batch.batchJobDefinitionId)) === 0) {
      await this.dispatcher.dispatchMonitor(batchId, { now: true });
    }
  }

  /** The batch's operation on the items of one execution job (instances or jobs), prepared once. */
  private operationOf(batch: BatchRecord): Promise<ItemsOperation> {
    const cached = this.prepared.get(batch.id);
    if (cached) return cached;
    const handler = this.handlers[batch.type as BatchType] as BatchHandlers[BatchType] | undefined;
    const preparing = !handler
      ? Promise.reject(new ProcessEngineException(`No handler for batch type '${batch.type}'`))
      : handlesItems(handler)
        ? handler.prepare(batch.configuration)
        : handler
            .prepare(batch.configuration)
            .then((operation): ItemsOperation => async (sql, instanceIds) => {
              const { outcomes, effects } = await this.runtime.applyEach(sql, instanceIds, operation);
              return { outcomes, afterCommit: () => this.runtime.afterCommit(effects) };
            });
    this.prepared.set(batch.id, preparing);
    preparing.catch(() => this.prepared.delete(batch.id));
    if (this.prepared.size > 100) this.prepared.delete(this.prepared.keys().next().value!);
    return preparing;
  }
}

/** Consecutive items cut into jobs of `size`. */
function slices(itemIds: readonly number[], size: number): NewBatchJob[] {
  const jobs: NewBatchJob[] = [];
  for (let start = 0; start < itemIds.length; start += size) {
    const slice = itemIds.slice(start, start + size);
    jobs.push({ id: randomUUID(), firstItemId: slice[0]!, lastItemId: slice[slice.length - 1]! });
  }
  return jobs;
}
