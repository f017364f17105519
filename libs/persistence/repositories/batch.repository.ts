import {
  Conditions,
  insertRows,
  orderAndPage,
  placeholders,
  type Page,
  type Sorting,
  type Sql,
} from '../sql';
import { DefinitionInstanceCounts } from './definition-instance-counts';
import { BATCH_HAS_FAILED_JOB, BATCH_JOB_STATISTICS, JobRepository } from './jobs/job.repository';
import { processInstanceConditions, type ProcessInstanceQuery } from './process-instance.repository';

/** A running batch (`ru_batch`). `configuration` is the type's JSON (plan, instructions, …). */
export interface BatchRecord {
  readonly id: string;
  readonly type: string;
  readonly totalJobs: number;
  readonly jobsCreated: number;
  readonly batchJobsPerSeed: number;
  readonly invocationsPerBatchJob: number;
  readonly seedJobDefinitionId: string;
  readonly monitorJobDefinitionId: string;
  readonly batchJobDefinitionId: string;
  readonly suspended: boolean;
  readonly tenantId: string | null;
  readonly createUserId: string | null;
  readonly startTime: Date;
  readonly executionStartTime: Date | null;
  readonly configuration: string;
  /** The process-instance query still to be turned into items, or null when the selection is complete. */
  readonly selection: string | null;
  readonly selectionHighWater: number;
  readonly selectionCursor: number;
  readonly selectionDone: boolean;
  /** The last item id put into an execution job: the seed slices the items after it. */
  readonly itemsSliced: number;
  readonly seedingDone: boolean;
  /** Grows with every activation, so the seed's next queue entry never collides with a parked one. */
  readonly dispatch: number;
}

export interface BatchStatistics {
  readonly remainingJobs: number;
  readonly completedJobs: number;
  readonly failedJobs: number;
}

export interface BatchQuery {
  readonly batchId?: string;
  readonly type?: string;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly suspended?: boolean;
  readonly createdBy?: string;
  readonly startedBefore?: Date;
  readonly startedAfter?: Date;
  readonly withFailures?: boolean;
  readonly withoutFailures?: boolean;
}

export type BatchSortKey = 'batchId' | 'tenantId' | 'startTime';

/** How a batch ended: all its work done, or deleted before that. */
export type BatchEndState = 'completed' | 'deleted';

const SORT_COLUMNS: Record<BatchSortKey, string> = {
  batchId: 'b.id',
  tenantId: 'b.tenant_id',
  startTime: 'b.start_time',
};

type BatchRow = Record<string, unknown>;

function toBatch(row: BatchRow): BatchRecord {
  return {
    id: String(row.id),
    type: String(row.type),
    totalJobs: Number(row.total_jobs),
    jobsCreated: Number(row.jobs_created),
    batchJobsPerSeed: Number(row.batch_jobs_per_seed),
    invocationsPerBatchJob: Number(row.invocations_per_batch_job),
    seedJobDefinitionId: String(row.seed_job_definition_id),
    monitorJobDefinitionId: String(row.monitor_job_definition_id),
    batchJobDefinitionId: String(row.batch_job_definition_id),
    suspended: Boolean(row.suspended),
    tenantId: (row.tenant_id as string | null) ?? null,
    createUserId: (row.create_user_id as string | null) ?? null,
    startTime: row.start_time as Date,
    executionStartTime: (row.execution_start_time as Date | null) ?? null,
    configuration: String(row.configuration),
    selection: (row.selection as string | null) ?? null,
    selectionHighWater: Number(row.selection_high_water),
    selectionCursor: Number(row.selection_cursor),
    selectionDone: Boolean(row.selection_done),
    itemsSliced: Number(row.items_sliced),
    seedingDone: Boolean(row.seeding_done),
    dispatch: Number(row.dispatch ?? 0),
  };
}

function toStatistics(batch: BatchRecord, row: BatchRow): BatchStatistics {
  const remainingJobs = Number(row.job_rows) + (batch.totalJobs - batch.jobsCreated);
  return {
    remainingJobs,
    completedJobs: batch.totalJobs - remainingJobs,
    failedJobs: Number(row.failed_jobs),
  };
}

/** Runtime batches: creation, lookup, queries with statistics, suspension, completion and deletion. */
/**
 * Up to how many selected instances a batch's creation counts exactly (an index range of at most this
 * many entries, a few milliseconds); a larger selection is estimated.
 */
export const EXACT_SELECTION_COUNT = 10_000;

export class BatchRepository {
  private readonly counts = new DefinitionInstanceCounts();

  constructor(private readonly jobs = new JobRepository()) {}

  async insert(sql: Sql, batch: BatchRecord): Promise<void> {
    await insertRows(
      sql,
      'ru_batch',
      [
        'id',
        'type',
        'total_jobs',
        'jobs_created',
        'batch_jobs_per_seed',
        'invocations_per_batch_job',
        'seed_job_definition_id',
        'monitor_job_definition_id',
        'batch_job_definition_id',
        'suspended',
        'tenant_id',
        'create_user_id',
        'start_time',
        'execution_start_time',
        'configuration',
        'selection',
        'selection_high_water',
        'selection_cursor',
        'selection_done',
        'items_sliced',
        'seeding_done',
      ],
      [
        [
          batch.id,
          batch.type,
          batch.totalJobs,
          batch.jobsCreated,
          batch.batchJobsPerSeed,
          batch.invocationsPerBatchJob,
          batch.seedJobDefinitionId,
          batch.monitorJobDefinitionId,
          batch.batchJobDefinitionId,
          batch.suspended ? 1 : 0,
          batch.tenantId,
          batch.createUserId,
          batch.startTime,
          batch.executionStartTime,
          batch.configuration,
          batch.selection,
          batch.selectionHighWater,
          batch.selectionCursor,
          batch.selectionDone ? 1 : 0,
          batch.itemsSliced,
          batch.seedingDone ? 1 : 0,
        ],
      ],
    );
    await insertRows(
      sql,
      'hi_batch',
      [
        'id',
        'type',
        'total_jobs',
        'batch_jobs_per_seed',
        'invocations_per_batch_job',
        'seed_job_definition_id',
        'monitor_job_definition_id',
        'batch_job_definition_id',
        'tenant_id',
        'create_user_id',
        'start_time',
        'configuration',
      ],
      [
        [
          batch.id,
          batch.type,
          batch.totalJobs,
          batch.batchJobsPerSeed,
          batch.invocationsPerBatchJob,
          batch.seedJobDefinitionId,
          batch.monitorJobDefinitionId,
          batch.batchJobDefinitionId,
          batch.tenantId,
          batch.createUserId,
          batch.startTime,
          batch.configuration,
        ],
      ],
    );
  }

  async find(sql: Sql, id: string, options: { lock?: boolean } = {}): Promise<BatchRecord | undefined> {
    const rows = await sql.select(`SELECT * FROM ru_batch WHERE id = ?${options.lock ? ' FOR UPDATE' : ''}`, [
      id,
    ]);
    return rows[0] && toBatch(rows[0]);
  }

  async findByJobDefinition(sql: Sql, batchJobDefinitionId: string): Promise<BatchRecord | undefined> {
    const rows = await sql.select('SELECT * FROM ru_batch WHERE batch_job_definition_id = ?', [
      batchJobDefinitionId,
    ]);
    return rows[0] && toBatch(rows[0]);
  }

  async statistics(sql: Sql, batch: BatchRecord): Promise<BatchStatistics> {
    const [row] = await sql.select(`SELECT ${BATCH_JOB_STATISTICS} FROM ru_batch b WHERE b.id = ?`, [
      batch.id,
    ]);
    return toStatistics(batch, row ?? { job_rows: 0, failed_jobs: 0 });
  }

  async query(
    sql: Sql,
    query: BatchQuery,
    page?: Page,
    sorting: Sorting<BatchSortKey>[] = [],
  ): Promise<Array<BatchRecord & BatchStatistics>> {
    const where = conditions(query);
    const rows = await sql.select(
      `SELECT b.*, ${BATCH_JOB_STATISTICS} FROM ru_batch b${where}${orderAndPage(sorting, SORT_COLUMNS, 'b.id ASC', page)}`,
      where.params,
    );
    return rows.map((row) => {
      const batch = toBatch(row);
      return { ...batch, ...toStatistics(batch, row) };
    });
  }

  async count(sql: Sql, query: BatchQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ru_batch b${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }

  /** All running batches (the reconciler walks them). */
  async running(sql: Sql): Promise<BatchRecord[]> {
    return (await sql.select('SELECT * FROM ru_batch ORDER BY start_time')).map(toBatch);
  }

  /**
   * Suspends or activates a batch and its execution jobs. Activation starts a new dispatch generation
   * for the batch and its jobs (see the `dispatch` columns). Job rows are updated by primary key, never
   * through the job-definition index, so this waits for a running execution job instead of deadlocking
   * with it. Call with the batch row locked.
   */
  async setSuspended(sql: Sql, batch: BatchRecord, suspended: boolean): Promise<void> {
    const next = suspended ? 0 : 1;
    await sql.execute('UPDATE ru_batch SET suspended = ?, dispatch = dispatch + ? WHERE id = ?', [
      suspended ? 1 : 0,
      next,
      batch.id,
    ]);
    await this.jobs.setBatchJobsSuspended(sql, batch.batchJobDefinitionId, suspended, !suspended);
  }

  /** Sets `executionStartTime` the first time an execution job runs (in runtime and history). */
  async markExecutionStarted(sql: Sql, batchId: string, now: Date): Promise<void> {
    const changed = await sql.execute(
      'UPDATE ru_batch SET execution_start_time = ? WHERE id = ? AND execution_start_time IS NULL',
      [now, batchId],
    );
    if (changed > 0)
      await sql.execute('UPDATE hi_batch SET execution_start_time = ? WHERE id = ?', [now, batchId]);
  }

  /** Ends a batch: history gets its end time and how it ended, the runtime row and any job rows go. Items stay. */
  async end(sql: Sql, batch: BatchRecord, now: Date, how: BatchEndState = 'completed'): Promise<void> {
    await this.jobs.deleteBatchJobs(sql, batch.batchJobDefinitionId);
    await sql.execute('DELETE FROM ru_batch WHERE id = ?', [batch.id]);
    await sql.execute('UPDATE hi_batch SET end_time = ?, end_state = ? WHERE id = ?', [now, how, batch.id]);
  }

  /** The largest `seq` of any instance so far: the high-water mark that fixes a query selection. */
  async highWater(sql: Sql): Promise<number> {
    const [row] = await sql.select<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM ru_process_instance');
    return Number(row?.seq ?? 0);
  }

  /**
   * How many instances a query selects up to the high-water mark, leaving out those already items of
   * `batchId`: exact up to `EXACT_SELECTION_COUNT` instances, an estimate beyond (see below), so that
   * creating a batch takes the same time for any selection.
   */
  async countSelection(
    sql: Sql,
    query: ProcessInstanceQuery,
    highWater: number,
    batchId: string,
    hasExplicitItems: boolean,
  ): Promise<number> {
    // All instances of one definition (the common migration): the kept count, in constant time. It
    // may include an instance started after the high-water mark; the seed corrects `totalJobs` then.
    // Nothing kept (or a count gone wrong) falls back to the bounded count, which is cheap exactly
    // then, so a selection is never refused as empty on the count's word alone.
    const keys = Object.keys(query).filter((key) => query[key as keyof ProcessInstanceQuery] !== undefined);
    if (!hasExplicitItems && keys.length === 1 && query.processDefinitionId !== undefined) {
      const kept = await this.counts.count(sql, query.processDefinitionId);
      if (kept > 0) return kept;
    }
    const where = processInstanceConditions(query).add('p.seq <= ?', highWater);
    // Only when explicit ids were added is there anything to leave out (keeps a pure query selection a plain count).
    if (hasExplicitItems) {
      where.add(
        'NOT EXISTS (SELECT 1 FROM batch_item i WHERE i.batch_id = ? AND i.process_instance_id = p.id)',
        batchId,
      );
    }
    const selection = `SELECT 1 FROM ru_process_instance p${where}`;
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (${selection} LIMIT ?) bounded`,
      [...where.params, EXACT_SELECTION_COUNT + 1],
    );
    const bounded = Number(row?.n ?? 0);
    if (bounded <= EXACT_SELECTION_COUNT) return bounded;
    // More than the exact bound: the optimizer's estimate of the rows the selection reads (index dives,
    // constant time), never below what was counted. The seed corrects `totalJobs` once it has sliced.
    const plan = await sql.select<{ table: string | null; rows: number | string | null }>(
      `EXPLAIN ${selection}`,
      where.params,
    );
    const estimate = Number(plan.find((step) => step.table === 'p')?.rows ?? 0);
    return Math.max(bounded, estimate);
  }

  async updateProgress(
    sql: Sql,
    batchId: string,
    progress: {
      jobsCreated?: number;
      selectionCursor?: number;
      selectionDone?: boolean;
      itemsSliced?: number;
      seedingDone?: boolean;
      totalJobs?: number;
    },
  ): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [];
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      params.push(value);
    };
    if (progress.jobsCreated !== undefined) {
      sets.push('jobs_created = jobs_created + ?');
      params.push(progress.jobsCreated);
    }
    if (progress.selectionCursor !== undefined) set('selection_cursor', progress.selectionCursor);
    if (progress.selectionDone !== undefined) set('selection_done', progress.selectionDone ? 1 : 0);
    if (progress.itemsSliced !== undefined) set('items_sliced', progress.itemsSliced);
    if (progress.seedingDone !== undefined) set('seeding_done', progress.seedingDone ? 1 : 0);
    if (progress.totalJobs !== undefined) set('total_jobs', progress.totalJobs);
    if (sets.length === 0) return;
    await sql.execute(`UPDATE ru_batch SET ${sets.join(', ')} WHERE id = ?`, [...params, batchId]);
    if (progress.totalJobs !== undefined)
      await sql.execute('UPDATE hi_batch SET total_jobs = ? WHERE id = ?', [progress.totalJobs, batchId]);
  }
}

function conditions(query: BatchQuery): Conditions {
  const where = new Conditions()
    .when(query.batchId, 'b.id = ?')
    .when(query.type, 'b.type = ?')
    .when(query.suspended, 'b.suspended = ?', (suspended) => (suspended ? 1 : 0))
    .when(query.createdBy, 'b.create_user_id = ?')
    .when(query.startedBefore, 'b.start_time <= ?')
    .when(query.startedAfter, 'b.start_time >= ?');
  if (query.tenantIdIn !== undefined) {
    if (query.tenantIdIn.length === 0) where.add('1 = 0');
    else where.add(`b.tenant_id IN (${placeholders(query.tenantIdIn.length)})`, ...query.tenantIdIn);
  }
  if (query.withoutTenantId) where.add('b.tenant_id IS NULL');
  if (query.withFailures) where.add(BATCH_HAS_FAILED_JOB);
  if (query.withoutFailures) where.add(`NOT ${BATCH_HAS_FAILED_JOB}`);
  return where;
}
