import { randomUUID } from 'node:crypto';
import {
  Conditions,
  insertRows,
  orderAndPage,
  placeholders,
  type Page,
  type Sorting,
  type Sql,
} from '../../sql';
import type { BatchRecord } from '../batch.repository';
import type { ProcessModel } from '@libs/bpmn';
import { IncidentRepository } from '../incidents/incident.repository';
import { JobLogRepository } from '../job-log/job-log.repository';
import { recordJobFailure, type JobFailure } from './job-failure';
import {
  dueTimer,
  FIELD,
  FROM,
  jobConditions,
  KIND,
  SELECT,
  SORT_COLUMNS,
  toRecord,
  type DueTimer,
  type JobQuery,
  type JobRecord,
  type JobRow,
  type JobSortKey,
  type RetriedJob,
  type StoredJobKind,
} from './job-query';
import type { JobDefinitionState } from './job-definition.repository';

/** Which jobs a suspension applies to (Camunda's UpdateJobSuspensionStateBuilder selectors). */
export type JobSelector =
  | { readonly jobId: string }
  | { readonly jobDefinitionIds: readonly string[] }
  | { readonly processInstanceId: string }
  | { readonly processDefinitionId: string }
  | {
      readonly processDefinitionKey: string;
      /** Set: only jobs of instances of this tenant (`null`: without tenant). */
      readonly tenantId?: string | null;
    };

/** A batch execution job row (`ru_job` with a batch id). */
export interface BatchJobRecord {
  readonly id: string;
  readonly batchId: string;
  readonly jobDefinitionId: string;
  readonly handlerType: string;
  readonly retries: number;
  readonly suspended: boolean;
  readonly exceptionMessage: string | null;
  /** Not before then (set with its retries); null: at once. */
  readonly dueDate: Date | null;
  /** The job's slice: the batch's items with ids in `[itemFirst, itemLast]`. */
  readonly itemFirst: number;
  readonly itemLast: number;
}

/** An execution job as the queue knows it: its row id, dispatch generation and due date (null: now). */
export interface DispatchableJob {
  readonly id: string;
  readonly dispatch: number;
  readonly dueDate?: Date | null;
  /** Its slice of the batch's items, when known (names the queue entry for operators). */
  readonly itemFirst?: number;
  readonly itemLast?: number;
}

export interface NewBatchJob {
  readonly id: string;
  /** The first and last item id of the job's slice: consecutive unassigned items of the batch. */
  readonly firstItemId: number;
  readonly lastItemId: number;
}

/** The slice of items a batch execution job still holds. */
export interface BatchJobSlice {
  readonly id: string;
  readonly itemFirst: number;
  readonly itemLast: number;
}

/**
 * Execution-job rows of a batch that still exist, and those of them that failed (no retries left), as
 * columns of a query over `ru_batch b`.
 */
export const BATCH_JOB_STATISTICS = `
  (SELECT COUNT(*) FROM ru_job j WHERE j.job_definition_id = b.batch_job_definition_id) AS job_rows,
  (SELECT COUNT(*) FROM ru_job j WHERE j.job_definition_id = b.batch_job_definition_id AND j.retries = 0) AS failed_jobs`;

/** The condition "the batch `b` has a failed execution job". */
export const BATCH_HAS_FAILED_JOB =
  'EXISTS (SELECT 1 FROM ru_job j WHERE j.job_definition_id = b.batch_job_definition_id AND j.retries = 0)';

const dispatchable = (row: { id: string; dispatch: number; due_date: Date | null }): DispatchableJob => ({
  id: row.id,
  dispatch: Number(row.dispatch),
  dueDate: row.due_date ?? null,
});

/**
 * The one owner of `ru_job`: every statement on job rows, whatever their kind. Timer rows are also
 * written as part of their instance's state (see `timerRows`, used by the instance store); batch
 * execution-job rows are written here. Writes that change a timer lock its instance first.
 */
export class JobRepository {
  private readonly incidents = new IncidentRepository();
  private readonly jobLog = new JobLogRepository();

  /** Jobs matching `query`; `now` decides which are `executable`. */
  async query(
    sql: Sql,
    query: JobQuery,
    now: Date,
    page?: Page,
    sorting: Sorting<JobSortKey>[] = [],
  ): Promise<JobRecord[]> {
    const where = jobConditions(query, now);
    const rows = await sql.select<JobRow>(
      `${SELECT}${where}${orderAndPage(sorting, SORT_COLUMNS, `${FIELD.id} ASC`, page)}`,
      where.params,
    );
    return rows.map(toRecord);
  }

  async count(sql: Sql, query: JobQuery, now: Date): Promise<number> {
    const where = jobConditions(query, now);
    const [row] = await sql.select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${FROM}${where}`, where.params);
    return Number(row?.n ?? 0);
  }

  /**
   * Sets the retries (and, when given, the due date) of those of `jobIds` that exist; returns them with
   * their batch (null for a timer) and their new dispatch generation (each call starts a new one, so
   * the job's next queue entry never collides with the one that just failed it). Must run in a
   * transaction: a timer is part of its instance's state, so the owning instances are locked first.
   */
  async setRetries(
    sql: Sql,
    jobIds: readonly string[],
    retries: number,
    dueDate: Date | undefined,
  ): Promise<RetriedJob[]> {
    if (jobIds.length === 0) return [];
    await this.lockOwners(sql, jobIds);
    const rows = await sql.select<{
      id: string;
      kind: StoredJobKind;
      batch_id: string | null;
      due_date: Date | null;
      dispatch: number;
      retries: number;
    }>(
      `SELECT j.id, ${KIND} AS kind, j.batch_id, j.due_date, j.dispatch, j.retries FROM ru_job j WHERE j.id IN (${placeholders(jobIds.length)}) FOR UPDATE`,
      jobIds,
    );
    if (rows.length > 0) {
      await sql.execute(
        `UPDATE ru_job SET retries = ?, dispatch = dispatch + 1${dueDate ? ', due_date = ?' : ''} WHERE id IN (${placeholders(rows.length)})`,
        [retries, ...(dueDate ? [dueDate] : []), ...rows.map((row) => row.id)],
      );
      // Retries again: Camunda resolves the failed-job incidents; none left: it raises them.
      if (retries > 0)
        await this.incidents.resolveForJobs(
          sql,
          rows.map((row) => row.id),
        );
      else
        await this.raiseIncidentsOfEmptied(
          sql,
          rows.filter((row) => Number(row.retries) > 0),
        );
    }
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      batchId: row.batch_id,
      dueDate: dueDate ?? row.due_date ?? null,
      retries,
      dispatch: Number(row.dispatch) + 1,
    }));
  }

  /**
   * Raises the `failedJob` incidents of process-instance jobs whose retries were just set from some to
   * none (`PUT /job/{id}/retries` with 0), as Camunda's `JobEntity.setRetries` does: the incident keeps
   * the job's last exception message, if any. Batch jobs get none.
   */
  private async raiseIncidentsOfEmptied(sql: Sql, jobs: ReadonlyArray<{ id: string }>): Promise<void> {
    if (jobs.length === 0) return;
    const rows = await sql.select<{
      id: string;
      exception_message: string | null;
      process_instance_id: string;
      definition_id: string;
      definition_key: string;
      tenant_id: string | null;
      execution_id: string | null;
      activity_id: string | null;
      job_definition_id: string | null;
    }>(
      `SELECT j.id, j.exception_message, j.process_instance_id, p.definition_id, p.definition_key, p.tenant_id,
              j.execution_id, j.activity_id, j.job_definition_id
         FROM ru_job j JOIN ru_process_instance p ON p.id = j.process_instance_id
        WHERE j.id IN (${placeholders(jobs.length)})`,
      jobs.map((job) => job.id),
    );
    const now = new Date();
    for (const row of rows) {
      await this.incidents.raiseForJob(sql, {
        id: randomUUID(),
        jobId: row.id,
        message: row.exception_message,
        timestamp: now,
        processInstanceId: row.process_instance_id,
        processDefinitionId: row.definition_id,
        processDefinitionKey: row.definition_key,
        tenantId: row.tenant_id,
        executionId: row.execution_id,
        activityId: row.activity_id,
        jobDefinitionId: row.job_definition_id,
        historyConfiguration: null,
      });
    }
  }

  /**
   * Moves a job's due date and starts a new dispatch generation; undefined when there is no such job.
   * Must run in a transaction (see `setRetries`).
   */
  async setDueDate(sql: Sql, jobId: string, dueDate: Date): Promise<RetriedJob | undefined> {
    await this.lockOwners(sql, [jobId]);
    const [row] = await sql.select<{
      id: string;
      kind: StoredJobKind;
      batch_id: string | null;
      retries: number;
      dispatch: number;
    }>(
      `SELECT j.id, ${KIND} AS kind, j.batch_id, j.retries, j.dispatch FROM ru_job j WHERE j.id = ? FOR UPDATE`,
      [jobId],
    );
    if (!row) return undefined;
    await sql.execute('UPDATE ru_job SET due_date = ?, dispatch = dispatch + 1 WHERE id = ?', [
      dueDate,
      jobId,
    ]);
    return {
      id: row.id,
      kind: row.kind,
      batchId: row.batch_id,
      dueDate,
      retries: Number(row.retries),
      dispatch: Number(row.dispatch) + 1,
    };
  }

  /**
   * Records a failed run of a timer or an asynchronous continuation (see `recordJobFailure`: retries
   * and due date by the activity's retry cycle, the job log's failure entry, the incident at 0 retries),
   * after locking the owning instance. Must run in a transaction. Returns the retries left and the due date.
   */
  async recordFailure(
    sql: Sql,
    failure: JobFailure,
    modelOf: (definitionId: string) => Promise<ProcessModel>,
  ): Promise<{ retries: number; dueDate: Date | null }> {
    await this.lockOwners(sql, [failure.jobId]);
    return recordJobFailure(sql, failure, modelOf, { incidents: this.incidents, jobLog: this.jobLog });
  }

  /**
   * Runnable asynchronous continuations (retries left, instance active) after `afterId` in id order,
   * `instanceIds` limiting them to some instances (keyset pages, for reconciliation and activation).
   */
  async runnableAsyncJobs(
    sql: Sql,
    afterId: string,
    limit: number,
    instanceIds?: readonly string[],
  ): Promise<string[]> {
    if (instanceIds?.length === 0) return [];
    const ofInstances =
      instanceIds === undefined ? '' : ` AND j.process_instance_id IN (${placeholders(instanceIds.length)})`;
    const rows = await sql.select<{ id: string }>(
      `SELECT j.id FROM ru_job j JOIN ru_process_instance p ON p.id = j.process_instance_id
        WHERE j.handler_type = 'async-continuation' AND j.id > ? AND j.retries > 0 AND j.suspended = 0 AND p.suspended = 0${ofInstances}
        ORDER BY j.id LIMIT ${Math.max(1, Math.floor(limit))}`,
      [afterId, ...(instanceIds ?? [])],
    );
    return rows.map((row) => row.id);
  }

  /**
   * The ids of the jobs `selector` names, in id order (by process definition: the jobs of its
   * instances; batch jobs have none).
   */
  async jobIdsOf(sql: Sql, selector: JobSelector): Promise<string[]> {
    const where = new Conditions();
    let from = 'ru_job j';
    if ('jobId' in selector) where.add('j.id = ?', selector.jobId);
    else if ('jobDefinitionIds' in selector) where.whenIn(selector.jobDefinitionIds, 'j.job_definition_id');
    else if ('processInstanceId' in selector)
      where.add('j.process_instance_id = ?', selector.processInstanceId);
    else {
      from = 'ru_job j JOIN ru_process_instance p ON p.id = j.process_instance_id';
      if ('processDefinitionId' in selector) where.add('p.definition_id = ?', selector.processDefinitionId);
      else {
        where.add('p.definition_key = ?', selector.processDefinitionKey);
        if (selector.tenantId === null) where.add('p.tenant_id IS NULL');
        else if (selector.tenantId !== undefined) where.add('p.tenant_id = ?', selector.tenantId);
      }
    }
    const rows = await sql.select<{ id: string }>(
      `SELECT j.id FROM ${from}${where} ORDER BY j.id`,
      where.params,
    );
    return rows.map((row) => row.id);
  }

  /**
   * Suspends or activates jobs by id, row by row (primary key only, see {@link forBatchJobRows}); no
   * instance lock is taken: the instance store never writes these columns back (see
   * `JOB_MANAGEMENT_COLUMNS`). Returns the jobs whose state changed; activated ones start a new
   * dispatch generation, for their kind's handler to put them back in the queue.
   */
  async setSuspended(sql: Sql, jobIds: readonly string[], suspended: boolean): Promise<RetriedJob[]> {
    const changed: RetriedJob[] = [];
    for (let start = 0; start < jobIds.length; start += 10_000) {
      const chunk = jobIds.slice(start, start + 10_000);
      const rows = await sql.select<{
        id: string;
        kind: StoredJobKind;
        batch_id: string | null;
        due_date: Date | null;
        retries: number;
        dispatch: number;
      }>(
        `SELECT j.id, ${KIND} AS kind, j.batch_id, j.due_date, j.retries, j.dispatch FROM ru_job j
          WHERE j.id IN (${placeholders(chunk.length)}) AND j.suspended = ? ORDER BY j.id FOR UPDATE`,
        [...chunk, suspended ? 0 : 1],
      );
      if (rows.length === 0) continue;
      await sql.execute(
        `UPDATE ru_job SET suspended = ?, dispatch = dispatch + ? WHERE id IN (${placeholders(rows.length)})`,
        [suspended ? 1 : 0, suspended ? 0 : 1, ...rows.map((row) => row.id)],
      );
      for (const row of rows) {
        changed.push({
          id: row.id,
          kind: row.kind,
          batchId: row.batch_id,
          dueDate: row.due_date ?? null,
          retries: Number(row.retries),
          dispatch: Number(row.dispatch) + (suspended ? 0 : 1),
        });
      }
    }
    return changed;
  }

  /** Sets the priority of jobs by id (primary key only, as {@link setSuspended}); returns how many exist. */
  async setPriority(sql: Sql, jobIds: readonly string[], priority: number): Promise<number> {
    let found = 0;
    for (let start = 0; start < jobIds.length; start += 10_000) {
      const chunk = jobIds.slice(start, start + 10_000);
      const rows = await sql.select<{ id: string }>(
        `SELECT id FROM ru_job WHERE id IN (${placeholders(chunk.length)}) ORDER BY id FOR UPDATE`,
        chunk,
      );
      if (rows.length === 0) continue;
      found += rows.length;
      await sql.execute(`UPDATE ru_job SET priority = ? WHERE id IN (${placeholders(rows.length)})`, [
        priority,
        ...rows.map((row) => row.id),
      ]);
    }
    return found;
  }

  /**
   * Gives jobs just inserted by the instance store their job definition's state: suspended when it is
   * suspended, its overriding priority when it has one (Camunda's job creation does the same).
   */
  async applyDefinitionStates(
    sql: Sql,
    jobs: ReadonlyArray<{ readonly id: string; readonly jobDefinitionId: string }>,
    states: ReadonlyMap<string, JobDefinitionState>,
  ): Promise<void> {
    const suspended = jobs.filter((job) => states.get(job.jobDefinitionId)?.suspended).map((job) => job.id);
    await this.setSuspended(sql, suspended, true);
    const byPriority = new Map<number, string[]>();
    for (const job of jobs) {
      const priority = states.get(job.jobDefinitionId)?.overridingPriority;
      if (priority === null || priority === undefined) continue;
      byPriority.set(priority, [...(byPriority.get(priority) ?? []), job.id]);
    }
    for (const [priority, ids] of byPriority) await this.setPriority(sql, ids, priority);
  }

  /** Timers with retries left due before `horizon`, after `afterId` in id order (keyset pages). */
  async timersDue(sql: Sql, afterId: string, horizon: Date, limit: number): Promise<DueTimer[]> {
    const rows = await sql.select<{ id: string; due_date: Date }>(
      `SELECT id, due_date FROM ru_job WHERE id > ? AND type = 'timer' AND retries > 0 AND suspended = 0 AND due_date <= ? ORDER BY id LIMIT ${Math.max(1, Math.floor(limit))}`,
      [afterId, horizon],
    );
    return rows.map(dueTimer);
  }

  /** Those of `jobIds` with retries left (a failed job waits for new retries). */
  async runnableTimers(sql: Sql, jobIds: readonly string[]): Promise<DueTimer[]> {
    if (jobIds.length === 0) return [];
    const rows = await sql.select<{ id: string; due_date: Date }>(
      `SELECT id, due_date FROM ru_job WHERE id IN (${placeholders(jobIds.length)}) AND type = 'timer' AND retries > 0 AND suspended = 0`,
      jobIds,
    );
    return rows.map(dueTimer);
  }

  /** The timers with retries left of the given instances. */
  async runnableTimersOfInstances(sql: Sql, instanceIds: readonly string[]): Promise<DueTimer[]> {
    if (instanceIds.length === 0) return [];
    const rows = await sql.select<{ id: string; due_date: Date }>(
      `SELECT id, due_date FROM ru_job WHERE process_instance_id IN (${placeholders(instanceIds.length)}) AND type = 'timer' AND retries > 0 AND suspended = 0`,
      instanceIds,
    );
    return rows.map(dueTimer);
  }

  /**
   * Locks the process instances owning any of `jobIds` (and bumps their revisions): changing a timer
   * changes its instance, so it is serialised with every other change of that instance, taking the
   * instance lock before any job row's, in the same order as instance operations do.
   */
  private async lockOwners(sql: Sql, jobIds: readonly string[]): Promise<void> {
    const owners = await sql.select<{ id: string }>(
      `SELECT DISTINCT process_instance_id AS id FROM ru_job
        WHERE id IN (${placeholders(jobIds.length)}) AND process_instance_id IS NOT NULL`,
      jobIds,
    );
    if (owners.length === 0) return;
    await sql.execute(
      `UPDATE ru_process_instance SET revision = revision + 1 WHERE id IN (${placeholders(owners.length)})`,
      owners.map((owner) => owner.id),
    );
  }

  async find(sql: Sql, jobId: string): Promise<JobRecord | undefined> {
    const rows = await sql.select<JobRow>(`${SELECT} WHERE ${FIELD.id} = ?`, [jobId]);
    return rows[0] && toRecord(rows[0]);
  }

  /** Inserts execution-job rows, each naming its slice of items by id range (no item row is written). */
  async createBatchJobs(
    sql: Sql,
    batch: BatchRecord,
    jobs: readonly NewBatchJob[],
    now: Date,
  ): Promise<void> {
    await insertRows(
      sql,
      'ru_job',
      [
        'id',
        'type',
        'job_definition_id',
        'batch_id',
        'handler_type',
        'retries',
        'suspended',
        'created',
        'item_first',
        'item_last',
      ],
      jobs.map((job) => [
        job.id,
        'message',
        batch.batchJobDefinitionId,
        batch.id,
        batch.type,
        3,
        batch.suspended ? 1 : 0,
        now,
        job.firstItemId,
        job.lastItemId,
      ]),
    );
  }

  /** The execution-job row, locked until the transaction ends, so only one worker executes it at a time. */
  async lockBatchJob(sql: Sql, jobId: string): Promise<BatchJobRecord | undefined> {
    const rows = await sql.select<Record<string, unknown>>(
      'SELECT id, batch_id, job_definition_id, handler_type, retries, suspended, exception_message, due_date, item_first, item_last FROM ru_job WHERE id = ? AND batch_id IS NOT NULL FOR UPDATE',
      [jobId],
    );
    const row = rows[0];
    return (
      row && {
        id: String(row.id),
        batchId: String(row.batch_id),
        jobDefinitionId: String(row.job_definition_id),
        handlerType: String(row.handler_type),
        retries: Number(row.retries),
        suspended: Boolean(row.suspended),
        exceptionMessage: (row.exception_message as string | null) ?? null,
        dueDate: (row.due_date as Date | null) ?? null,
        itemFirst: Number(row.item_first),
        itemLast: Number(row.item_last),
      }
    );
  }

  /** Deletes an execution-job row (its run is done); false when it was gone. */
  async deleteBatchJob(sql: Sql, jobId: string): Promise<boolean> {
    return (await sql.execute('DELETE FROM ru_job WHERE id = ? AND batch_id IS NOT NULL', [jobId])) > 0;
  }

  /**
   * Deletes an execution job unless it is gone, waiting for a run in progress to end first (the row
   * lock): true when this call deleted it, false when it was gone (e.g. that run completed it).
   */
  async deleteBatchJobAfterRun(sql: Sql, jobId: string): Promise<boolean> {
    return (await this.lockBatchJob(sql, jobId)) !== undefined && (await this.deleteBatchJob(sql, jobId));
  }

  /** Marks an execution job failed for good (Camunda's failed job: retries 0, the exception message kept). */
  async failBatchJob(sql: Sql, jobId: string, message: string): Promise<void> {
    await sql.execute('UPDATE ru_job SET retries = 0, exception_message = ? WHERE id = ?', [
      message.slice(0, 60_000),
      jobId,
    ]);
  }

  /** Execution-job rows left for a batch job definition (failed ones included). */
  async remainingBatchJobs(sql: Sql, batchJobDefinitionId: string): Promise<number> {
    const [row] = await sql.select<{ n: number }>(
      'SELECT COUNT(*) AS n FROM ru_job WHERE job_definition_id = ?',
      [batchJobDefinitionId],
    );
    return Number(row?.n ?? 0);
  }

  /** Runnable execution jobs of a batch after `afterId` (keyset paging for dispatch and reconciliation). */
  async runnableBatchJobs(
    sql: Sql,
    batchId: string,
    afterId: string,
    limit: number,
  ): Promise<DispatchableJob[]> {
    const rows = await sql.select<{
      id: string;
      dispatch: number;
      due_date: Date | null;
      item_first: number;
      item_last: number;
    }>(
      `SELECT id, dispatch, due_date, item_first, item_last FROM ru_job WHERE batch_id = ? AND id > ? AND retries > 0 AND suspended = 0 ORDER BY id LIMIT ${limit}`,
      [batchId, afterId],
    );
    return rows.map((row) => ({
      ...dispatchable(row),
      itemFirst: Number(row.item_first),
      itemLast: Number(row.item_last),
    }));
  }

  /** Failed jobs (no retries left) of a job definition. */
  async failedJobIds(sql: Sql, jobDefinitionId: string): Promise<string[]> {
    const rows = await sql.select<{ id: string }>(
      'SELECT id FROM ru_job WHERE job_definition_id = ? AND retries = 0',
      [jobDefinitionId],
    );
    return rows.map((row) => row.id);
  }

  /** Every execution job of a batch, as the queue knows them. */
  async jobsOfBatch(sql: Sql, batchId: string): Promise<DispatchableJob[]> {
    const rows = await sql.select<{ id: string; dispatch: number; due_date: Date | null }>(
      'SELECT id, dispatch, due_date FROM ru_job WHERE batch_id = ?',
      [batchId],
    );
    return rows.map(dispatchable);
  }

  /** The execution jobs of a batch whose slices overlap the items `[first, last]`. */
  async batchJobsOverlapping(
    sql: Sql,
    batchId: string,
    first: number,
    last: number,
  ): Promise<BatchJobSlice[]> {
    const rows = await sql.select<{ id: string; item_first: number; item_last: number }>(
      'SELECT id, item_first, item_last FROM ru_job WHERE batch_id = ? AND item_first <= ? AND item_last >= ?',
      [batchId, last, first],
    );
    return rows.map((row) => ({
      id: row.id,
      itemFirst: Number(row.item_first),
      itemLast: Number(row.item_last),
    }));
  }

  /**
   * Suspends or activates the execution jobs of a batch job definition; `newDispatch` starts a new
   * dispatch generation (activation). By primary key: see {@link forBatchJobRows}.
   */
  async setBatchJobsSuspended(
    sql: Sql,
    batchJobDefinitionId: string,
    suspended: boolean,
    newDispatch: boolean,
  ): Promise<void> {
    await forBatchJobRows(sql, batchJobDefinitionId, (ids) =>
      sql.execute(
        `UPDATE ru_job SET suspended = ?, dispatch = dispatch + ? WHERE id IN (${placeholders(ids.length)})`,
        [suspended ? 1 : 0, newDispatch ? 1 : 0, ...ids],
      ),
    );
  }

  /** Deletes every execution job of a batch job definition, by primary key (see {@link forBatchJobRows}). */
  async deleteBatchJobs(sql: Sql, batchJobDefinitionId: string): Promise<void> {
    await forBatchJobRows(sql, batchJobDefinitionId, (ids) =>
      sql.execute(`DELETE FROM ru_job WHERE id IN (${placeholders(ids.length)})`, ids),
    );
  }
}

/**
 * Runs `write` over the execution-job rows of a batch job definition by primary key, in chunks. Job rows
 * are locked by key only (as an execution job locks its own row): a statement that went through the
 * job-definition index would lock index entries first and deadlock with a running job that updates or
 * deletes its row. The batch row must be locked, so no job row is added meanwhile.
 */
async function forBatchJobRows(
  sql: Sql,
  batchJobDefinitionId: string,
  write: (ids: string[]) => Promise<unknown>,
): Promise<void> {
  const rows = await sql.select<{ id: string }>(
    'SELECT id FROM ru_job WHERE job_definition_id = ? ORDER BY id',
    [batchJobDefinitionId],
  );
  for (let start = 0; start < rows.length; start += 10_000) {
    await write(rows.slice(start, start + 10_000).map((row) => row.id));
  }
}
