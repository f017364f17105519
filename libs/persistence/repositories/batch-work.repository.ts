import { Conditions, orderAndPage, placeholders, type Page, type Sql } from '../sql';
import { processInstanceConditions, type ProcessInstanceQuery } from './process-instance.repository';
import type { BatchRecord } from './batch.repository';
import { JobRepository, type BatchJobRecord } from './jobs/job.repository';

/** `skipped`: a failed item given up by an operator (`POST /batch/{id}/failures/delete`); never run again. */
export type BatchItemState = 'pending' | 'done' | 'failed' | 'skipped';

/** One selected item of a batch and what became of it. */
export interface BatchItemRecord {
  readonly id: number;
  readonly batchId: string;
  /** What the item's operation applies to: a process instance id, or a job id (`set-job-retries`). */
  readonly subjectId: string;
  /** The execution job that still holds the item (pending or failed); null once that job is done. */
  readonly jobId: string | null;
  readonly state: BatchItemState;
  /** For failed items: the error as JSON (`{type, message, …report}`). */
  readonly error: string | null;
  readonly updated: Date | null;
}

export interface ItemOutcome {
  readonly itemId: number;
  readonly error: string | null;
  /** Why it failed, without what differs per instance (failures group by it); null when done. */
  readonly reason: string | null;
}

/** The item `i` lies in a done range: the nearest range starting at or before it reaches it (one index dive). */
export const COVERED = `COALESCE((SELECT r.item_last FROM batch_item_range r WHERE r.batch_id = i.batch_id AND r.item_first <= i.id
  ORDER BY r.item_first DESC LIMIT 1), 0) >= i.id`;

/**
 * Up to this many done intervals (merged from at most `MAX_DONE_RANGES_READ` done ranges), pending
 * items are found by skipping the intervals on the state index (`id NOT BETWEEN …`, a range scan that
 * reads pending items only); beyond, each item is checked against the ranges.
 */
const MAX_SKIPPED_INTERVALS = 500;
const MAX_DONE_RANGES_READ = 10_000;

/** The tables that hold a batch's items and their outcomes; they outlive the runtime batch. */
export const BATCH_ITEM_TABLES = ['batch_item', 'batch_item_range', 'batch_item_count'] as const;

/** Items and execution jobs of batches: selection, slicing into jobs, outcomes. All set-based. */
export class BatchWorkRepository {
  constructor(private readonly jobs = new JobRepository()) {}

  /** Adds explicitly selected subjects (instance or job ids) as items (duplicates ignored); returns how many were new. */
  async addItems(sql: Sql, batchId: string, subjectIds: readonly string[]): Promise<number> {
    let added = 0;
    for (let start = 0; start < subjectIds.length; start += 10_000) {
      const chunk = subjectIds.slice(start, start + 10_000);
      added += await sql.execute(
        `INSERT IGNORE INTO batch_item (batch_id, process_instance_id) VALUES ${chunk.map(() => '(?, ?)').join(', ')}`,
        chunk.flatMap((id) => [batchId, id]),
      );
    }
    await countAdded(sql, batchId, added);
    return added;
  }

  /**
   * Turns the next `limit` instances of a query selection (keyset on `seq`, up to the high-water mark)
   * into items with one `INSERT … SELECT`; returns the new cursor, or null when the selection is exhausted.
   */
  async materializeSelection(
    sql: Sql,
    batch: BatchRecord,
    query: ProcessInstanceQuery,
    limit: number,
  ): Promise<number | null> {
    const range = () =>
      processInstanceConditions(query)
        .add('p.seq > ?', batch.selectionCursor)
        .add('p.seq <= ?', batch.selectionHighWater);
    const boundary = range();
    const [edge] = await sql.select<{ seq: number }>(
      `SELECT p.seq FROM ru_process_instance p${boundary} ORDER BY p.seq LIMIT 1 OFFSET ${limit - 1}`,
      boundary.params,
    );
    const upTo = edge ? Number(edge.seq) : batch.selectionHighWater;
    const where = range().add('p.seq <= ?', upTo);
    const added = await sql.execute(
      `INSERT IGNORE INTO batch_item (batch_id, process_instance_id) SELECT ?, p.id FROM ru_process_instance p${where} ORDER BY p.seq`,
      [batch.id, ...where.params],
    );
    await countAdded(sql, batch.id, added);
    return edge ? upTo : null;
  }

  /** Ids of the next `limit` items of a batch after item `after` (not yet in a job), in order. */
  async itemsAfter(sql: Sql, batchId: string, after: number, limit: number): Promise<number[]> {
    const rows = await sql.select<{ id: number }>(
      `SELECT id FROM batch_item WHERE batch_id = ? AND id > ? ORDER BY id LIMIT ${Math.max(1, limit)}`,
      [batchId, after],
    );
    return rows.map((row) => Number(row.id));
  }

  /** Items of a job that have not succeeded yet (a retried job re-runs only these). */
  async unfinishedItemsOfJob(
    sql: Sql,
    job: BatchJobRecord,
  ): Promise<Array<{ itemId: number; subjectId: string }>> {
    const rows = await sql.select<{ id: number; process_instance_id: string }>(
      "SELECT id, process_instance_id FROM batch_item WHERE batch_id = ? AND id BETWEEN ? AND ? AND state IN ('pending', 'failed') ORDER BY id",
      [job.batchId, job.itemFirst, job.itemLast],
    );
    return rows.map((row) => ({ itemId: Number(row.id), subjectId: row.process_instance_id }));
  }

  /** Records item outcomes in the transaction that made them: done items, and failed items with their errors. */
  async recordOutcomes(sql: Sql, outcomes: readonly ItemOutcome[], now: Date): Promise<void> {
    const done = outcomes.filter((outcome) => outcome.error === null).map((outcome) => outcome.itemId);
    if (done.length > 0) {
      await sql.execute(
        `UPDATE batch_item SET state = 'done', error = NULL, reason = NULL, updated = ? WHERE id IN (${placeholders(done.length)})`,
        [now, ...done],
      );
    }
    const failed = outcomes.filter((outcome) => outcome.error !== null);
    if (failed.length > 0) {
      await sql.execute(
        `UPDATE batch_item SET state = 'failed', updated = ?, error = CASE id ${failed.map(() => 'WHEN ? THEN ?').join(' ')} END, reason = CASE id ${failed.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (${placeholders(failed.length)})`,
        [
          now,
          ...failed.flatMap((outcome) => [outcome.itemId, outcome.error]),
          ...failed.flatMap((outcome) => [outcome.itemId, outcome.reason]),
          ...failed.map((outcome) => outcome.itemId),
        ],
      );
    }
  }

  /**
   * Records that a job which never failed has done all its items: one range row, no item row written
   * (their `state` stays `pending`; a covering range makes them done).
   */
  async recordJobDone(sql: Sql, job: BatchJobRecord, items: number, now: Date): Promise<void> {
    await sql.execute(
      'INSERT INTO batch_item_range (batch_id, item_first, item_last, items, updated) VALUES (?, ?, ?, ?, ?)',
      [job.batchId, job.itemFirst, job.itemLast, items, now],
    );
  }

  /**
   * The items of a batch with their outcome, for `GET /batch/{id}/items`. Kept after the batch ends. The
   * job of each item comes from the job rows still there whose range covers the page; an item stored as
   * `pending` is done when a done range covers it. Its several reads agree (every item of a page asked
   * for by state is in that state) when `sql` reads one snapshot (`snapshot`).
   */
  async items(
    sql: Sql,
    batchId: string,
    state: BatchItemState | undefined,
    page?: Page,
  ): Promise<BatchItemRecord[]> {
    const where = new Conditions().add('i.batch_id = ?', batchId);
    if (state === 'failed' || state === 'skipped') where.add('i.state = ?', state);
    if (state === 'done') where.add(`(i.state = 'done' OR ${COVERED})`);
    if (state === 'pending') await this.pendingConditions(sql, batchId, where);
    const rows = await sql.select<Record<string, unknown>>(
      `SELECT i.* FROM batch_item i${where}${orderAndPage([], {}, 'i.id ASC', page)}`,
      where.params,
    );
    const ids = rows.map((row) => Number(row.id));
    if (ids.length === 0) return [];
    const [first, last] = [ids.reduce((a, b) => Math.min(a, b)), ids.reduce((a, b) => Math.max(a, b))];
    const [jobs, ranges] = await Promise.all([
      this.jobs.batchJobsOverlapping(sql, batchId, first, last),
      sql
        .select<{ item_first: number; item_last: number; updated: Date }>(
          'SELECT item_first, item_last, updated FROM batch_item_range WHERE batch_id = ? AND item_first <= ? AND item_last >= ?',
          [batchId, last, first],
        )
        .then((rows) =>
          rows.map((row) => ({
            itemFirst: Number(row.item_first),
            itemLast: Number(row.item_last),
            updated: row.updated,
          })),
        ),
    ]);
    const covering = <T extends { itemFirst: number; itemLast: number }>(
      list: readonly T[],
      itemId: number,
    ) => list.find((entry) => entry.itemFirst <= itemId && itemId <= entry.itemLast);
    return rows.map((row) => {
      const id = Number(row.id);
      const done = row.state === 'pending' ? covering(ranges, id) : undefined;
      return {
        id,
        batchId: String(row.batch_id),
        subjectId: String(row.process_instance_id),
        jobId: covering(jobs, id)?.id ?? null,
        state: done ? 'done' : (row.state as BatchItemState),
        error: (row.error as string | null) ?? null,
        updated: (done ? done.updated : (row.updated as Date | null)) ?? null,
      };
    });
  }

  /**
   * How many items a batch has, in all or in one state, without reading its pending items: the total is
   * the kept count, done items are the done ranges' sizes plus the items done one by one (after a
   * failure), failed items are few, and pending is what remains. One statement, so the figures come
   * from one snapshot and always add up.
   */
  async countItems(sql: Sql, batchId: string, state?: BatchItemState): Promise<number> {
    const counts = await this.itemCounts(sql, batchId);
    return state === undefined ? counts.total : counts[state];
  }

  /** A batch's item count in every state at once (see {@link countItems}). */
  async itemCounts(sql: Sql, batchId: string): Promise<Record<BatchItemState | 'total', number>> {
    const [row] = await sql.select<{
      total: number | null;
      ranged: number | null;
      done: number;
      failed: number;
      skipped: number;
    }>(
      `SELECT (SELECT items FROM batch_item_count WHERE batch_id = ?) AS total,
              (SELECT SUM(items) FROM batch_item_range WHERE batch_id = ?) AS ranged,
              (SELECT COUNT(*) FROM batch_item WHERE batch_id = ? AND state = 'done') AS done,
              (SELECT COUNT(*) FROM batch_item WHERE batch_id = ? AND state = 'failed') AS failed,
              (SELECT COUNT(*) FROM batch_item WHERE batch_id = ? AND state = 'skipped') AS skipped`,
      [batchId, batchId, batchId, batchId, batchId],
    );
    const total = Number(row?.total ?? 0);
    const done = Number(row?.ranged ?? 0) + Number(row?.done ?? 0);
    const failed = Number(row?.failed ?? 0);
    const skipped = Number(row?.skipped ?? 0);
    return { total, done, failed, skipped, pending: total - done - failed - skipped };
  }

  /**
   * Restricts `where` to pending items: stored as pending and in no done range. The done ranges are
   * read first and merged where they touch (a run of jobs done on their first try is one interval),
   * so the state index is scanned over pending items only, not over every done item before them.
   */
  private async pendingConditions(sql: Sql, batchId: string, where: Conditions): Promise<void> {
    where.add("i.state = 'pending'");
    const ranges = await sql.select<{ item_first: number; item_last: number }>(
      `SELECT item_first, item_last FROM batch_item_range WHERE batch_id = ? ORDER BY item_first LIMIT ${MAX_DONE_RANGES_READ}`,
      [batchId],
    );
    const intervals: Array<[number, number]> = [];
    for (const range of ranges) {
      const [first, last] = [Number(range.item_first), Number(range.item_last)];
      const previous = intervals.at(-1);
      if (previous && previous[1] + 1 >= first) previous[1] = Math.max(previous[1], last);
      else intervals.push([first, last]);
    }
    if (ranges.length === MAX_DONE_RANGES_READ || intervals.length > MAX_SKIPPED_INTERVALS) {
      where.add(`NOT ${COVERED}`);
      return;
    }
    for (const [first, last] of intervals) where.add('i.id NOT BETWEEN ? AND ?', first, last);
  }
}

/** Keeps a batch's item count (`batch_item_count`) in the transaction that added `added` items. */
async function countAdded(sql: Sql, batchId: string, added: number): Promise<void> {
  if (added === 0) return;
  await sql.execute(
    'INSERT INTO batch_item_count (batch_id, items) VALUES (?, ?) ON DUPLICATE KEY UPDATE items = items + VALUES(items)',
    [batchId, added],
  );
}
