import { Conditions, orderAndPage, placeholders, type Page, type Sql } from '../sql';
import { COVERED, type BatchItemState } from './batch-work.repository';
import { historicBatchRecord, type HistoricBatchRecord } from './historic-batch.repository';
import {
  FAILED_JOBS_WITHOUT_FAILED_ITEMS,
  HAS_FAILED_BATCH_JOB,
  SKIP_FAILED_ITEMS_OF_FAILED_JOBS,
} from './jobs/job-statistics';

/** Where a batch stands, as operators name it: the first that applies, in this order. */
export const BATCH_STATES = [
  'deleted',
  'completed',
  'suspended',
  'failedJobs',
  'seeding',
  'running',
] as const;
export type BatchState = (typeof BATCH_STATES)[number];

export interface BatchOverviewQuery {
  readonly type?: string;
  readonly createdBy?: string;
  readonly state?: BatchState;
}

/** A batch (running or ended) with its state and stored configuration. */
export interface BatchOverviewRecord {
  readonly batch: HistoricBatchRecord;
  readonly state: BatchState;
  /** The type's JSON (plan, instructions, …); null for batches created before it was kept in history. */
  readonly configuration: string | null;
}

/** A batch an instance was an item of, and the item's outcome. */
export interface SubjectBatchRecord extends BatchOverviewRecord {
  readonly itemState: BatchItemState;
  readonly error: string | null;
  readonly updated: Date | null;
}

/** A failed item of a batch. */
export interface FailedItemRecord {
  readonly itemId: number;
  readonly subjectId: string;
  readonly error: string | null;
  readonly updated: Date | null;
}

const STATE = `CASE
    WHEN h.end_time IS NOT NULL THEN COALESCE(h.end_state, 'completed')
    WHEN r.suspended = 1 THEN 'suspended'
    WHEN ${HAS_FAILED_BATCH_JOB('h.id')} THEN 'failedJobs'
    WHEN r.seeding_done = 0 THEN 'seeding'
    ELSE 'running' END`;

/** Batches with their state: history and runtime rows joined (`h`, `r`), one row per batch. */
const BATCHES = `SELECT h.*, ${STATE} AS batch_state FROM hi_batch h LEFT JOIN ru_batch r ON r.id = h.id`;

const overviewRecord = (row: Record<string, unknown>): BatchOverviewRecord => ({
  batch: historicBatchRecord(row),
  state: row.batch_state as BatchState,
  configuration: (row.configuration as string | null) ?? null,
});

/**
 * Reads for the operators' console: batches newest first with where they stand, the failed items of one
 * failure group, the batches that touched an instance; and giving up a group of failed items.
 */
export class BatchOverviewRepository {
  /** A page of batches, newest first (read along the start-time index, stopping at the page's end). */
  async list(sql: Sql, query: BatchOverviewQuery, page?: Page): Promise<BatchOverviewRecord[]> {
    const where = conditions(query);
    const rows = await sql.select(
      `${BATCHES}${where}${orderAndPage([], {}, 'h.start_time DESC, h.id DESC', page)}`,
      where.params,
    );
    return rows.map(overviewRecord);
  }

  async count(sql: Sql, query: BatchOverviewQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM hi_batch h LEFT JOIN ru_batch r ON r.id = h.id${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }

  async find(sql: Sql, batchId: string): Promise<BatchOverviewRecord | undefined> {
    const [row] = await sql.select(`${BATCHES} WHERE h.id = ?`, [batchId]);
    return row ? overviewRecord(row) : undefined;
  }

  /** The batches an instance (or job) was an item of, newest first, at most `limit`. */
  async batchesOfSubject(sql: Sql, subjectId: string, limit: number): Promise<SubjectBatchRecord[]> {
    const rows = await sql.select(
      `SELECT h.*, ${STATE} AS batch_state, i.state AS item_state, i.error AS item_error, i.updated AS item_updated,
              ${COVERED} AS covered
         FROM batch_item i JOIN hi_batch h ON h.id = i.batch_id LEFT JOIN ru_batch r ON r.id = h.id
        WHERE i.process_instance_id = ? ORDER BY h.start_time DESC, h.id DESC LIMIT ${Number(limit)}`,
      [subjectId],
    );
    return rows.map((row) => ({
      ...overviewRecord(row),
      itemState:
        row.item_state === 'pending' && Number(row.covered) === 1
          ? 'done'
          : (row.item_state as BatchItemState),
      error: (row.item_error as string | null) ?? null,
      updated: (row.item_updated as Date | null) ?? null,
    }));
  }

  /** A page of a batch's failed items of one reason (undefined: any), oldest item first. */
  async failedItems(
    sql: Sql,
    batchId: string,
    reason: string | undefined,
    page?: Page,
  ): Promise<FailedItemRecord[]> {
    const where = new Conditions().add("batch_id = ? AND state = 'failed'", batchId);
    if (reason !== undefined) where.add('reason_hash = SHA1(?)', reason);
    const rows = await sql.select<{
      id: number;
      process_instance_id: string;
      error: string | null;
      updated: Date | null;
    }>(
      `SELECT id, process_instance_id, error, updated FROM batch_item${where}${orderAndPage([], {}, 'id ASC', page)}`,
      where.params,
    );
    return rows.map((row) => ({
      itemId: Number(row.id),
      subjectId: row.process_instance_id,
      error: row.error,
      updated: row.updated,
    }));
  }

  /**
   * Gives up a batch's failed items of one reason (undefined: all) that failed jobs hold: they become
   * `skipped`. Answers how many, and which of `failedJobIds` hold no failed item any more (deleting them
   * lets the batch complete).
   */
  async skipFailedItems(
    sql: Sql,
    batchId: string,
    reason: string | undefined,
    failedJobIds: readonly string[],
    now: Date,
  ): Promise<{ skipped: number; emptiedJobIds: string[] }> {
    const skipped = await sql.execute(
      SKIP_FAILED_ITEMS_OF_FAILED_JOBS(reason === undefined ? '' : ' AND i.reason_hash = SHA1(?)'),
      [now, batchId, ...(reason === undefined ? [] : [reason])],
    );
    if (failedJobIds.length === 0) return { skipped, emptiedJobIds: [] };
    const emptied = await sql.select<{ id: string }>(
      FAILED_JOBS_WITHOUT_FAILED_ITEMS(placeholders(failedJobIds.length)),
      [...failedJobIds],
    );
    return { skipped, emptiedJobIds: emptied.map((row) => row.id) };
  }
}

/** Type and user narrow the history rows (indexed); the state is computed per row. */
function conditions(query: BatchOverviewQuery): Conditions {
  return new Conditions()
    .when(query.type, 'h.type = ?')
    .when(query.createdBy, 'h.create_user_id = ?')
    .when(query.state, `(${STATE}) = ?`);
}
