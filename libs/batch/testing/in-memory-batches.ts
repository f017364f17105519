import type {
  BatchQuery,
  BatchRecord,
  BatchSortKey,
  BatchStatistics,
  HistoricBatchQuery,
  HistoricBatchRecord,
  Page,
  ProcessInstanceQuery,
  Sorting,
  Sql,
} from '@libs/persistence';
import type { BatchStore, HistoricBatchStore } from '../batch-stores';
import type { InMemoryBatchTables } from './in-memory-batch-tables';

type BatchProgress = Parameters<BatchStore['updateProgress']>[2];

/** `ru_batch` (and the `hi_batch` row written with it) in memory, as `BatchRepository` keeps them. */
export class InMemoryBatches implements BatchStore {
  constructor(private readonly tables: InMemoryBatchTables) {}

  async insert(_sql: Sql, batch: BatchRecord): Promise<void> {
    if (this.tables.batches.has(batch.id)) throw new Error(`duplicate batch ${batch.id}`);
    this.tables.batches.set(batch.id, { ...batch, dispatch: 0 });
    const { id, type, totalJobs, batchJobsPerSeed, invocationsPerBatchJob, tenantId, createUserId } = batch;
    this.tables.history.set(id, {
      id,
      type,
      totalJobs,
      batchJobsPerSeed,
      invocationsPerBatchJob,
      seedJobDefinitionId: batch.seedJobDefinitionId,
      monitorJobDefinitionId: batch.monitorJobDefinitionId,
      batchJobDefinitionId: batch.batchJobDefinitionId,
      tenantId,
      createUserId,
      startTime: batch.startTime,
      endTime: null,
      removalTime: null,
      executionStartTime: null,
    });
  }

  async find(_sql: Sql, id: string): Promise<BatchRecord | undefined> {
    return this.tables.batches.get(id);
  }

  async query(
    _sql: Sql,
    query: BatchQuery,
    page?: Page,
    sorting: Sorting<BatchSortKey>[] = [],
  ): Promise<Array<BatchRecord & BatchStatistics>> {
    const found = [...this.tables.batches.values()].filter((batch) => this.matches(batch, query));
    const key: Record<BatchSortKey, (batch: BatchRecord) => string | number> = {
      batchId: (batch) => batch.id,
      tenantId: (batch) => batch.tenantId ?? '',
      startTime: (batch) => batch.startTime.getTime(),
    };
    const sorted = found.sort((a, b) => {
      for (const { by, order } of sorting) {
        const [x, y] = [key[by](a), key[by](b)];
        if (x !== y) return (x < y ? -1 : 1) * (order === 'desc' ? -1 : 1);
      }
      return a.id < b.id ? -1 : 1;
    });
    return paged(sorted, page).map((batch) => ({ ...batch, ...this.statistics(batch) }));
  }

  async count(sql: Sql, query: BatchQuery): Promise<number> {
    return (await this.query(sql, query)).length;
  }

  async running(): Promise<BatchRecord[]> {
    return [...this.tables.batches.values()].sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  }

  async setSuspended(_sql: Sql, batch: BatchRecord, suspended: boolean): Promise<void> {
    const current = this.tables.batches.get(batch.id);
    if (!current) return;
    const next = suspended ? 0 : 1;
    this.tables.batches.set(batch.id, { ...current, suspended, dispatch: current.dispatch + next });
    for (const job of this.tables.jobsOfDefinition(batch.batchJobDefinitionId))
      this.tables.jobs.set(job.id, { ...job, suspended, dispatch: job.dispatch + next });
  }

  async markExecutionStarted(_sql: Sql, batchId: string, now: Date): Promise<void> {
    const batch = this.tables.batches.get(batchId);
    if (!batch || batch.executionStartTime !== null) return;
    this.tables.batches.set(batchId, { ...batch, executionStartTime: now });
    const history = this.tables.history.get(batchId);
    if (history) this.tables.history.set(batchId, { ...history, executionStartTime: now });
  }

  async end(_sql: Sql, batch: BatchRecord, now: Date): Promise<void> {
    for (const job of this.tables.jobsOfDefinition(batch.batchJobDefinitionId))
      this.tables.jobs.delete(job.id);
    this.tables.batches.delete(batch.id);
    const history = this.tables.history.get(batch.id);
    if (history) this.tables.history.set(batch.id, { ...history, endTime: now });
  }

  async highWater(): Promise<number> {
    return this.tables.instances.reduce((max, instance) => Math.max(max, instance.seq), 0);
  }

  async countSelection(
    _sql: Sql,
    query: ProcessInstanceQuery,
    highWater: number,
    batchId: string,
    hasExplicitItems: boolean,
  ): Promise<number> {
    const explicit = new Set(this.tables.itemsOf(batchId).map((item) => item.subjectId));
    return this.tables
      .selected(query)
      .filter((instance) => instance.seq <= highWater && !(hasExplicitItems && explicit.has(instance.id)))
      .length;
  }

  async updateProgress(_sql: Sql, batchId: string, progress: BatchProgress): Promise<void> {
    const batch = this.tables.batches.get(batchId);
    if (!batch) return;
    const { jobsCreated, ...set } = progress;
    const defined = Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined));
    this.tables.batches.set(batchId, {
      ...batch,
      ...defined,
      jobsCreated: batch.jobsCreated + (jobsCreated ?? 0),
    });
    const history = this.tables.history.get(batchId);
    if (history && progress.totalJobs !== undefined)
      this.tables.history.set(batchId, { ...history, totalJobs: progress.totalJobs });
  }

  private statistics(batch: BatchRecord): BatchStatistics {
    const rows = this.tables.jobsOfDefinition(batch.batchJobDefinitionId);
    const remainingJobs = rows.length + (batch.totalJobs - batch.jobsCreated);
    return {
      remainingJobs,
      completedJobs: batch.totalJobs - remainingJobs,
      failedJobs: rows.filter((job) => job.retries === 0).length,
    };
  }

  private matches(batch: BatchRecord, query: BatchQuery): boolean {
    const failed = this.statistics(batch).failedJobs > 0;
    return (
      (query.batchId === undefined || batch.id === query.batchId) &&
      (query.type === undefined || batch.type === query.type) &&
      (query.suspended === undefined || batch.suspended === query.suspended) &&
      (query.createdBy === undefined || batch.createUserId === query.createdBy) &&
      (query.startedBefore === undefined || batch.startTime <= query.startedBefore) &&
      (query.startedAfter === undefined || batch.startTime >= query.startedAfter) &&
      (query.tenantIdIn === undefined || query.tenantIdIn.includes(batch.tenantId ?? '\0')) &&
      (!query.withoutTenantId || batch.tenantId === null) &&
      (!query.withFailures || failed) &&
      (!query.withoutFailures || !failed)
    );
  }
}

/** `hi_batch` in memory, as `HistoricBatchRepository` keeps it (sorted by id; sortings are not modelled). */
export class InMemoryHistoricBatches implements HistoricBatchStore {
  constructor(private readonly tables: InMemoryBatchTables) {}

  async query(_sql: Sql, query: HistoricBatchQuery, page?: Page): Promise<HistoricBatchRecord[]> {
    const found = [...this.tables.history.values()]
      .filter(
        (batch) =>
          (query.batchId === undefined || batch.id === query.batchId) &&
          (query.type === undefined || batch.type === query.type) &&
          (query.completed === undefined || (batch.endTime !== null) === query.completed) &&
          (query.tenantIdIn === undefined || query.tenantIdIn.includes(batch.tenantId ?? '\0')) &&
          (!query.withoutTenantId || batch.tenantId === null),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    return paged(found, page);
  }

  async count(sql: Sql, query: HistoricBatchQuery): Promise<number> {
    return (await this.query(sql, query)).length;
  }

  /** Deletes the historic batch and, unless the batch still runs, its items and done ranges. */
  async delete(_sql: Sql, id: string): Promise<boolean> {
    if (!this.tables.history.delete(id)) return false;
    if (!this.tables.batches.has(id)) {
      this.tables.items = this.tables.items.filter((item) => item.batchId !== id);
      this.tables.ranges = this.tables.ranges.filter((range) => range.batchId !== id);
    }
    return true;
  }
}

/** A page of `rows` (all of them without a page). */
export function paged<T>(rows: readonly T[], page: Page | undefined): T[] {
  if (!page) return [...rows];
  return rows.slice(page.offset, page.limit === null ? undefined : page.offset + page.limit);
}
