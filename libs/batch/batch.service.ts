import { randomUUID } from 'node:crypto';
import { BadUserRequestException } from '@libs/engine';
import {
  type BatchItemRecord,
  type BatchItemState,
  type BatchQuery,
  type BatchRecord,
  type BatchSortKey,
  type BatchStatistics,
  type HistoricBatchQuery,
  type HistoricBatchRecord,
  type HistoricBatchSortKey,
  type Page,
  type Sorting,
  type Sql,
  type Transactions,
} from '@libs/persistence';
import type { Logger } from '@libs/logging';
import { withRetry, type BatchLauncher, type CreateBatchCommand } from '@libs/runtime';
import { seedGeneration, type BatchDispatcher, type BatchSettings } from './batch-types';
import type { BatchRedispatcher } from './batch-redispatcher';
import type { BatchStores } from './batch-stores';

export type BatchWithStatistics = BatchRecord & BatchStatistics;

/**
 * Batch lifecycle: creation (one transaction: the batch row, its history row and the explicit items;
 * answered in time independent of a query selection's size), lookup, statistics, suspension, deletion,
 * and the items with their outcomes.
 */
export class BatchService implements BatchLauncher {
  private readonly batches: BatchStores['batches'];
  private readonly work: BatchStores['work'];
  private readonly history: BatchStores['history'];
  private readonly jobs: BatchStores['jobs'];

  constructor(
    stores: BatchStores,
    private readonly transactions: Transactions,
    private readonly dispatcher: BatchDispatcher,
    private readonly redispatcher: BatchRedispatcher,
    private readonly settings: BatchSettings,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {
    ({ batches: this.batches, work: this.work, history: this.history, jobs: this.jobs } = stores);
  }

  async create(command: CreateBatchCommand): Promise<BatchRecord> {
    const id = randomUUID();
    const { batch, items } = await this.transactions.run(async (sql) => {
      const explicit = await this.work.addItems(sql, id, [...new Set(command.processInstanceIds ?? [])]);
      const query = command.processInstanceQuery;
      const highWater = query ? await this.batches.highWater(sql) : 0;
      const selected = query ? await this.batches.countSelection(sql, query, highWater, id, explicit > 0) : 0;
      const items = explicit + selected;
      if (items === 0) throw new BadUserRequestException(command.emptyMessage);
      const invocations = this.settings.invocationsPerBatchJob[command.type];
      const record: BatchRecord = {
        id,
        type: command.type,
        totalJobs: command.totalJobs ?? Math.ceil(items / invocations),
        jobsCreated: 0,
        batchJobsPerSeed: this.settings.batchJobsPerSeed,
        invocationsPerBatchJob: invocations,
        seedJobDefinitionId: randomUUID(),
        monitorJobDefinitionId: randomUUID(),
        batchJobDefinitionId: randomUUID(),
        suspended: false,
        tenantId: command.tenantId,
        createUserId: command.userId,
        startTime: this.clock(),
        executionStartTime: null,
        configuration: JSON.stringify(command.configuration),
        selection: query && selected > 0 ? JSON.stringify(query) : null,
        selectionHighWater: highWater,
        selectionCursor: 0,
        itemsSliced: 0,
        selectionDone: !(query && selected > 0),
        seedingDone: false,
        dispatch: 0,
      };
      await this.batches.insert(sql, record);
      await command.alongside?.(sql, record, items);
      return { batch: record, items };
    });
    this.logger.info('batch created', { batchId: id, type: batch.type, items, totalJobs: batch.totalJobs });
    await this.redispatcher.dispatchOrDefer(id, 'seed', () =>
      this.dispatcher.dispatchSeed(id, seedGeneration(batch)),
    );
    return batch;
  }

  async get(id: string): Promise<BatchWithStatistics | undefined> {
    return (await this.batches.query(this.transactions.plain(), { batchId: id }))[0];
  }

  query(query: BatchQuery, page?: Page, sorting?: Sorting<BatchSortKey>[]): Promise<BatchWithStatistics[]> {
    return this.batches.query(this.transactions.plain(), query, page, sorting);
  }

  count(query: BatchQuery): Promise<number> {
    return this.batches.count(this.transactions.plain(), query);
  }

  /**
   * Suspends (nothing of the batch runs; statistics stand still) or activates (its work is dispatched
   * again, under a new dispatch generation). Waits for execution jobs in progress to end; a deadlock is
   * retried, never answered.
   */
  async setSuspended(id: string, suspended: boolean): Promise<void> {
    const batch = await this.retried(async (sql) => {
      const found = await this.batches.find(sql, id, { lock: true });
      if (!found) {
        throw new BadUserRequestException(
          `Unable to ${suspended ? 'suspend' : 'activate'} batch with id '${id}'`,
        );
      }
      await this.batches.setSuspended(sql, found, suspended);
      return this.batches.find(sql, id);
    });
    if (!suspended && batch)
      await this.redispatcher.dispatchOrDefer(id, 'pending work', () => this.redispatcher.redispatch(batch));
  }

  /** Deletes a running batch: its jobs go from MySQL and Redis, history records the end (or goes too, with cascade). */
  async delete(id: string, cascade: boolean): Promise<void> {
    const removed = await this.retried(async (sql) => {
      const batch = await this.batches.find(sql, id, { lock: true });
      if (!batch) throw new BadUserRequestException(`Unable to delete batch with id '${id}'`);
      const jobs = await this.jobs.jobsOfBatch(sql, id);
      await this.batches.end(sql, batch, this.clock(), 'deleted');
      // The runtime row is gone now, so the history's deletion takes the items with it.
      if (cascade) await this.history.delete(sql, id);
      return { batch, jobs };
    });
    await this.dispatcher.removeBatchWork(id, removed.jobs, [seedGeneration(removed.batch)]);
  }

  historic(
    query: HistoricBatchQuery,
    page?: Page,
    sorting?: Sorting<HistoricBatchSortKey>[],
  ): Promise<HistoricBatchRecord[]> {
    return this.history.query(this.transactions.plain(), query, page, sorting);
  }

  countHistoric(query: HistoricBatchQuery): Promise<number> {
    return this.history.count(this.transactions.plain(), query);
  }

  deleteHistoric(id: string): Promise<boolean> {
    return this.history.delete(this.transactions.plain(), id);
  }

  /** A page of a batch's items, all of whose reads see one snapshot. */
  items(batchId: string, state: BatchItemState | undefined, page?: Page): Promise<BatchItemRecord[]> {
    return this.transactions.snapshot((sql) => this.work.items(sql, batchId, state, page));
  }

  countItems(batchId: string, state?: BatchItemState): Promise<number> {
    return this.work.countItems(this.transactions.plain(), batchId, state);
  }

  /** Runs `work` in one transaction, re-run as a whole after a deadlock (see `withRetry`). */
  private retried<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return withRetry(() => this.transactions.run(work));
  }
}
