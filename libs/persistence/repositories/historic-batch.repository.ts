import { Conditions, orderAndPage, placeholders, type Page, type Sorting, type Sql } from '../sql';
import { BATCH_ITEM_TABLES } from './batch-work.repository';

export interface HistoricBatchRecord {
  readonly id: string;
  readonly type: string;
  readonly totalJobs: number;
  readonly batchJobsPerSeed: number;
  readonly invocationsPerBatchJob: number;
  readonly seedJobDefinitionId: string;
  readonly monitorJobDefinitionId: string;
  readonly batchJobDefinitionId: string;
  readonly tenantId: string | null;
  readonly createUserId: string | null;
  readonly startTime: Date;
  readonly endTime: Date | null;
  readonly removalTime: Date | null;
  readonly executionStartTime: Date | null;
}

export interface HistoricBatchQuery {
  readonly batchId?: string;
  readonly type?: string;
  readonly completed?: boolean;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
}

export type HistoricBatchSortKey = 'batchId' | 'startTime' | 'endTime' | 'tenantId';

const SORT_COLUMNS: Record<HistoricBatchSortKey, string> = {
  batchId: 'id',
  startTime: 'start_time',
  endTime: 'end_time',
  tenantId: 'tenant_id',
};

export const historicBatchRecord = (row: Record<string, unknown>): HistoricBatchRecord => ({
  id: String(row.id),
  type: String(row.type),
  totalJobs: Number(row.total_jobs),
  batchJobsPerSeed: Number(row.batch_jobs_per_seed),
  invocationsPerBatchJob: Number(row.invocations_per_batch_job),
  seedJobDefinitionId: String(row.seed_job_definition_id),
  monitorJobDefinitionId: String(row.monitor_job_definition_id),
  batchJobDefinitionId: String(row.batch_job_definition_id),
  tenantId: (row.tenant_id as string | null) ?? null,
  createUserId: (row.create_user_id as string | null) ?? null,
  startTime: row.start_time as Date,
  endTime: (row.end_time as Date | null) ?? null,
  removalTime: (row.removal_time as Date | null) ?? null,
  executionStartTime: (row.execution_start_time as Date | null) ?? null,
});

/** The history of batches: one row from creation on, with `endTime` once completed or deleted. */
export class HistoricBatchRepository {
  async query(
    sql: Sql,
    query: HistoricBatchQuery,
    page?: Page,
    sorting: Sorting<HistoricBatchSortKey>[] = [],
  ): Promise<HistoricBatchRecord[]> {
    const where = conditions(query);
    const rows = await sql.select(
      `SELECT * FROM hi_batch${where}${orderAndPage(sorting, SORT_COLUMNS, 'id ASC', page)}`,
      where.params,
    );
    return rows.map(historicBatchRecord);
  }

  async count(sql: Sql, query: HistoricBatchQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(`SELECT COUNT(*) AS n FROM hi_batch${where}`, where.params);
    return Number(row?.n ?? 0);
  }

  /** Deletes a historic batch and its items' outcomes; false when there is none. */
  async delete(sql: Sql, id: string): Promise<boolean> {
    const deleted = await sql.execute('DELETE FROM hi_batch WHERE id = ?', [id]);
    if (deleted > 0) {
      for (const table of BATCH_ITEM_TABLES) {
        await sql.execute(
          `DELETE FROM ${table} WHERE batch_id = ? AND NOT EXISTS (SELECT 1 FROM ru_batch WHERE id = ?)`,
          [id, id],
        );
      }
    }
    return deleted > 0;
  }
}

function conditions(query: HistoricBatchQuery): Conditions {
  const where = new Conditions().when(query.batchId, 'id = ?').when(query.type, 'type = ?');
  if (query.completed === true) where.add('end_time IS NOT NULL');
  if (query.completed === false) where.add('end_time IS NULL');
  if (query.tenantIdIn !== undefined) {
    if (query.tenantIdIn.length === 0) where.add('1 = 0');
    else where.add(`tenant_id IN (${placeholders(query.tenantIdIn.length)})`, ...query.tenantIdIn);
  }
  if (query.withoutTenantId) where.add('tenant_id IS NULL');
  return where;
}
