import { orderAndPage, type Page, type Sql } from '../sql';
import { FAILED_JOBS_OF_FAILED_ITEMS } from './jobs/job-statistics';

/** One group of a batch's failed items: the reason, how many, and one of them. */
export interface FailureGroupRecord {
  readonly reason: string;
  readonly count: number;
  readonly sample: { readonly itemId: number; readonly subjectId: string; readonly error: string | null };
}

/**
 * Reads for operators beyond Camunda's batch statistics: how many items a batch handled recently, and
 * its failed items grouped by reason (`batch_item.reason`, indexed through its stored digest).
 */
export class BatchReportRepository {
  /** Items done or failed since `since` (done ranges count their items). */
  async itemsHandledSince(sql: Sql, batchId: string, since: Date): Promise<number> {
    const [row] = await sql.select<{ ranged: number | null; single: number }>(
      `SELECT (SELECT SUM(items) FROM batch_item_range WHERE batch_id = ? AND updated >= ?) AS ranged,
              (SELECT COUNT(*) FROM batch_item WHERE batch_id = ? AND state IN ('done', 'failed') AND updated >= ?) AS single`,
      [batchId, since, batchId, since],
    );
    return Number(row?.ranged ?? 0) + Number(row?.single ?? 0);
  }

  /**
   * Items done or failed per time bucket of `bucketSeconds` from `from` (bucket 0 starts there): done
   * ranges count their items at the time the job ended, items done or failed one by one at theirs.
   */
  async handledPerBucket(
    sql: Sql,
    batchId: string,
    from: Date,
    bucketSeconds: number,
  ): Promise<Map<number, number>> {
    const bucket = 'FLOOR(TIMESTAMPDIFF(MICROSECOND, ?, updated) / (1000000 * ?))';
    const rows = await sql.select<{ bucket: number; n: number }>(
      `SELECT ${bucket} AS bucket, SUM(items) AS n FROM batch_item_range WHERE batch_id = ? GROUP BY bucket
       UNION ALL
       SELECT ${bucket} AS bucket, COUNT(*) AS n FROM batch_item
        WHERE batch_id = ? AND state IN ('done', 'failed') AND updated IS NOT NULL GROUP BY bucket`,
      [from, bucketSeconds, batchId, from, bucketSeconds, batchId],
    );
    const buckets = new Map<number, number>();
    for (const row of rows) {
      const index = Math.max(0, Number(row.bucket));
      buckets.set(index, (buckets.get(index) ?? 0) + Number(row.n));
    }
    return buckets;
  }

  /** The failed items of a batch grouped by reason, the largest groups first. */
  async failureGroups(sql: Sql, batchId: string, page?: Page): Promise<FailureGroupRecord[]> {
    const groups = await sql.select<{ reason: string | null; n: number; sample_id: number }>(
      `SELECT MIN(reason) AS reason, COUNT(*) AS n, MIN(id) AS sample_id FROM batch_item
        WHERE batch_id = ? AND state = 'failed' GROUP BY reason_hash${orderAndPage([], {}, 'n DESC, sample_id ASC', page)}`,
      [batchId],
    );
    if (groups.length === 0) return [];
    const samples = await sql.select<{ id: number; process_instance_id: string; error: string | null }>(
      `SELECT id, process_instance_id, error FROM batch_item WHERE id IN (${groups.map(() => '?').join(', ')})`,
      groups.map((group) => group.sample_id),
    );
    const byId = new Map(samples.map((sample) => [Number(sample.id), sample]));
    return groups.map((group) => {
      const sample = byId.get(Number(group.sample_id))!;
      return {
        reason: group.reason ?? 'no reason recorded',
        count: Number(group.n),
        sample: { itemId: Number(sample.id), subjectId: sample.process_instance_id, error: sample.error },
      };
    });
  }

  /**
   * Running batches and their remaining items (of the items selected so far: a query selection is
   * turned into items by the seed job), per batch type.
   */
  async runningByType(sql: Sql): Promise<Array<{ type: string; running: number; remainingItems: number }>> {
    const rows = await sql.select<{ type: string; running: number; remaining: number | null }>(
      `SELECT b.type, COUNT(*) AS running, SUM(COALESCE(c.items, 0)
                - COALESCE((SELECT SUM(r.items) FROM batch_item_range r WHERE r.batch_id = b.id), 0)
                - (SELECT COUNT(*) FROM batch_item i WHERE i.batch_id = b.id AND i.state IN ('done', 'failed', 'skipped'))) AS remaining
         FROM ru_batch b LEFT JOIN batch_item_count c ON c.batch_id = b.id GROUP BY b.type`,
    );
    return rows.map((row) => ({
      type: row.type,
      running: Number(row.running),
      remainingItems: Math.max(0, Number(row.remaining ?? 0)),
    }));
  }

  /**
   * The failed execution jobs (no retries left) holding failed items of a batch, of one reason or of
   * any: retrying them runs those items again (with the other unfinished items of the same jobs).
   */
  async failedJobsOfFailures(sql: Sql, batchId: string, reason?: string): Promise<string[]> {
    const rows = await sql.select<{ id: string }>(
      FAILED_JOBS_OF_FAILED_ITEMS(reason === undefined ? '' : ' AND i.reason_hash = SHA1(?)'),
      [batchId, ...(reason === undefined ? [] : [reason])],
    );
    return rows.map((row) => row.id);
  }

  async countFailureGroups(sql: Sql, batchId: string): Promise<number> {
    const [row] = await sql.select<{ n: number }>(
      "SELECT COUNT(DISTINCT COALESCE(reason_hash, '')) AS n FROM batch_item WHERE batch_id = ? AND state = 'failed'",
      [batchId],
    );
    return Number(row?.n ?? 0);
  }
}
