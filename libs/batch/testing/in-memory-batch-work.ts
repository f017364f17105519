import type {
  BatchItemRecord,
  BatchItemState,
  BatchJobRecord,
  BatchRecord,
  ItemOutcome,
  Page,
  ProcessInstanceQuery,
  Sql,
} from '@libs/persistence';
import type { BatchWorkStore } from '../batch-stores';
import { paged } from './in-memory-batches';
import type { InMemoryBatchTables, ItemRow } from './in-memory-batch-tables';

/**
 * Items, done ranges and outcomes in memory, as `BatchWorkRepository` keeps them: an item done by a job
 * that never failed stays stored as `pending` under a done range; items of a job that failed carry their
 * own state (and error) from then on.
 */
export class InMemoryBatchWork implements BatchWorkStore {
  constructor(private readonly tables: InMemoryBatchTables) {}

  async addItems(_sql: Sql, batchId: string, subjectIds: readonly string[]): Promise<number> {
    const known = new Set(this.tables.itemsOf(batchId).map((item) => item.subjectId));
    let added = 0;
    for (const subjectId of subjectIds) {
      if (known.has(subjectId)) continue;
      known.add(subjectId);
      this.tables.items.push(this.newItem(batchId, subjectId));
      added += 1;
    }
    return added;
  }

  async materializeSelection(
    sql: Sql,
    batch: BatchRecord,
    query: ProcessInstanceQuery,
    limit: number,
  ): Promise<number | null> {
    const range = this.tables
      .selected(query)
      .filter((instance) => instance.seq > batch.selectionCursor && instance.seq <= batch.selectionHighWater)
      .sort((a, b) => a.seq - b.seq);
    const edge = range[limit - 1];
    const upTo = edge ? edge.seq : batch.selectionHighWater;
    await this.addItems(
      sql,
      batch.id,
      range.filter((instance) => instance.seq <= upTo).map((instance) => instance.id),
    );
    return edge ? upTo : null;
  }

  async itemsAfter(_sql: Sql, batchId: string, after: number, limit: number): Promise<number[]> {
    return this.tables
      .itemsOf(batchId)
      .filter((item) => item.id > after)
      .sort((a, b) => a.id - b.id)
      .slice(0, Math.max(1, limit))
      .map((item) => item.id);
  }

  async unfinishedItemsOfJob(
    _sql: Sql,
    job: BatchJobRecord,
  ): Promise<Array<{ itemId: number; subjectId: string }>> {
    return this.tables
      .itemsOf(job.batchId)
      .filter(
        (item) =>
          item.id >= job.itemFirst &&
          item.id <= job.itemLast &&
          (item.state === 'pending' || item.state === 'failed'),
      )
      .sort((a, b) => a.id - b.id)
      .map((item) => ({ itemId: item.id, subjectId: item.subjectId }));
  }

  async recordOutcomes(_sql: Sql, outcomes: readonly ItemOutcome[], now: Date): Promise<void> {
    for (const { itemId, error } of outcomes)
      this.tables.updateItem(itemId, { state: error === null ? 'done' : 'failed', error, updated: now });
  }

  async recordJobDone(_sql: Sql, job: BatchJobRecord, items: number, now: Date): Promise<void> {
    this.tables.ranges.push({
      batchId: job.batchId,
      itemFirst: job.itemFirst,
      itemLast: job.itemLast,
      items,
      updated: now,
    });
  }

  async items(
    _sql: Sql,
    batchId: string,
    state: BatchItemState | undefined,
    page?: Page,
  ): Promise<BatchItemRecord[]> {
    const records = this.tables
      .itemsOf(batchId)
      .sort((a, b) => a.id - b.id)
      .map((item) => this.record(item));
    return paged(
      records.filter((record) => state === undefined || record.state === state),
      page,
    );
  }

  async countItems(_sql: Sql, batchId: string, state?: BatchItemState): Promise<number> {
    const items = this.tables.itemsOf(batchId);
    const ranged = this.tables.ranges
      .filter((range) => range.batchId === batchId)
      .reduce((sum, range) => sum + range.items, 0);
    const done = ranged + items.filter((item) => item.state === 'done').length;
    const failed = items.filter((item) => item.state === 'failed').length;
    const skipped = items.filter((item) => item.state === 'skipped').length;
    const byState: Record<BatchItemState, number> = {
      done,
      failed,
      skipped,
      pending: items.length - done - failed - skipped,
    };
    return state === undefined ? items.length : byState[state];
  }

  private newItem(batchId: string, subjectId: string): ItemRow {
    return { id: this.tables.newItemId(), batchId, subjectId, state: 'pending', error: null, updated: null };
  }

  /** An item as `GET /batch/{id}/items` shows it: done when a done range covers it, with its job if any. */
  private record(item: ItemRow): BatchItemRecord {
    const covers = (slice: { batchId: string; itemFirst: number; itemLast: number }) =>
      slice.batchId === item.batchId && slice.itemFirst <= item.id && item.id <= slice.itemLast;
    const range = item.state === 'pending' ? this.tables.ranges.find(covers) : undefined;
    const job = [...this.tables.jobs.values()].find(covers);
    return {
      id: item.id,
      batchId: item.batchId,
      subjectId: item.subjectId,
      jobId: job?.id ?? null,
      state: range ? 'done' : item.state,
      error: item.error,
      updated: range ? range.updated : item.updated,
    };
  }
}
