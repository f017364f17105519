import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { BadUserRequestException } from '@libs/engine';
import {
  BatchRepository,
  BatchWorkRepository,
  HistoricBatchRepository,
  JobRepository,
  snapshot,
  sqlOf,
  transaction,
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
} from '@libs/persistence';
import type { Logger } from '@libs/logging';
import { retriedTransaction, type BatchLauncher, type CreateBatchCommand } from '@libs/runtime';
import { seedGeneration, type BatchDispatcher, type BatchSettings } from './batch-types';
import type { BatchRedispatcher } from './batch-redispatcher';

export type BatchWithStatistics = BatchRecord & BatchStatistics;

/**
 * Batch lifecycle: creation (one transaction: the batch row, its history row and the explicit items;
 * answered in time independent of a query selection's size), lookup, statistics, suspension, deletion,
 * and the items with their outcomes.
 */
export class BatchService implements BatchLauncher {
  private readonly batches = new BatchRepository();
  private readonly work = new BatchWorkRepository();
  private readonly history = new HistoricBatchRepository();
  private readonly jobs = new JobRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: BatchDispatcher,
    private readonly redispatcher: BatchRedispatcher,
    private readonly settings: BatchSettings,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(command: CreateBatchCommand): Promise<BatchRecord> {
    const id = randomUUID();
    const { batch, items } = await transaction(this.dataSource, async (sql) => {
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
    return (await this.batches.query(sqlOf(this.dataSource), { batchId: id }))[0];
  }

  query(query: BatchQuery, page?: Page, sorting?: Sorting<BatchSortKey>[]): Promise<BatchWithStatistics[]> {
    return this.batches.query(sqlOf(this.dataSource), query, page, sorting);
  }

  count(query: BatchQuery): Promise<number> {
    return this.batches.count(sqlOf(this.dataSource), query);
  }

  /**
   * Suspends (nothing of the batch runs; statistics stand still) or activates (its work is dispatched
   * again, under a new dispatch generation). Waits for execution jobs in progress to end; a deadlock is
   * retried, never answered.
   */
  async setSuspended(id: string, suspended: boolean): Promise<void> {
    const batch = await retriedTransaction(this.dataSource, async (sql) => {
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
    const removed = await retriedTransaction(this.dataSource, async (sql) => {
      const batch = await this.batches.find(sql, id, { lock: true });
      if (!batch) throw new BadUserRequestException(`Unable to delete batch with id '${id}'`);
      const jobs = await this.jobs.jobsOfBatch(sql, id);
      await this.batches.end(sql, batch, this.clock());
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
    return this.history.query(sqlOf(this.dataSource), query, page, sorting);
  }

  countHistoric(query: HistoricBatchQuery): Promise<number> {
    return this.history.count(sqlOf(this.dataSource), query);
  }

  deleteHistoric(id: string): Promise<boolean> {
    return this.history.delete(sqlOf(this.dataSource), id);
  }

  /** A page of a batch's items, all of whose reads see one snapshot. */
  items(batchId: string, state: BatchItemState | undefined, page?: Page): Promise<BatchItemRecord[]> {
    return snapshot(this.dataSource, (sql) => this.work.items(sql, batchId, state, page));
  }

  countItems(batchId: string, state?: BatchItemState): Promise<number> {
    return this.work.countItems(sqlOf(this.dataSource), batchId, state);
  }
}
