import type { StartTimerJob } from '@libs/engine';
import { insertRows, placeholders, type Sql } from '../../sql';
import { dueTimer, type DueTimer } from './job-query';

/** How a timer start event's job is told apart in `ru_job` (Camunda's handler type). */
export const START_TIMER_HANDLER = 'timer-start-event';

/** A stored timer start job, with what the REST API may have changed on it. */
export interface StoredStartTimer extends StartTimerJob {
  readonly suspended: boolean;
}

type Row = {
  id: string;
  process_definition_id: string;
  activity_id: string;
  due_date: Date;
  repeat_text: string | null;
  job_definition_id: string;
  retries: number;
  priority: number;
  suspended: number;
};

/**
 * Timer start jobs: `ru_job` rows of type `timer` without an instance, naming their definition. Only the
 * latest version of a key (per tenant) has one: deploying a version replaces its predecessors' job.
 */
export class StartTimerRepository {
  /**
   * Deletes the start timers of every version of `key` in `tenantId` (`null`: without tenant), locked
   * first, and returns their ids (to unschedule).
   */
  async deleteOfKey(sql: Sql, key: string, tenantId: string | null): Promise<string[]> {
    const ids = await this.idsOfKey(sql, key, tenantId);
    await this.delete(sql, ids);
    return ids;
  }

  /** The start timers of every version of `key` in `tenantId`, locked. */
  async idsOfKey(sql: Sql, key: string, tenantId: string | null): Promise<string[]> {
    const rows = await sql.select<{ id: string }>(
      `SELECT j.id FROM ru_job j JOIN re_process_definition d ON d.id = j.process_definition_id
        WHERE j.handler_type = ? AND d.def_key = ? AND d.tenant_key = ? FOR UPDATE`,
      [START_TIMER_HANDLER, key, tenantId ?? ''],
    );
    return rows.map((row) => row.id);
  }

  /** Deletes the start timers of these definitions (their deployment goes); returns their ids. */
  async deleteOfDefinitions(sql: Sql, definitionIds: readonly string[]): Promise<string[]> {
    if (definitionIds.length === 0) return [];
    const rows = await sql.select<{ id: string }>(
      `SELECT id FROM ru_job WHERE handler_type = ? AND process_definition_id IN (${placeholders(definitionIds.length)}) FOR UPDATE`,
      [START_TIMER_HANDLER, ...definitionIds],
    );
    const ids = rows.map((row) => row.id);
    await this.delete(sql, ids);
    return ids;
  }

  async insert(
    sql: Sql,
    jobs: readonly StartTimerJob[],
    created: Date,
    key: (job: StartTimerJob) => string,
  ): Promise<void> {
    await insertRows(
      sql,
      'ru_job',
      [
        'id',
        'type',
        'handler_type',
        'handler_configuration',
        'process_definition_id',
        'activity_id',
        'due_date',
        'repeat_text',
        'retries',
        'job_definition_id',
        'priority',
        'created',
      ],
      jobs.map((job) => [
        job.id,
        'timer',
        START_TIMER_HANDLER,
        key(job),
        job.definitionId,
        job.activityId,
        job.dueDate,
        job.repeat,
        job.retries,
        job.jobDefinitionId,
        job.priority,
        created,
      ]),
    );
  }

  /** The start timer `jobId`, locked when `lock`; `undefined` when it is not one (or gone). */
  async find(sql: Sql, jobId: string, lock = false): Promise<StoredStartTimer | undefined> {
    const [row] = await sql.select<Row>(
      `SELECT id, process_definition_id, activity_id, due_date, repeat_text, job_definition_id, retries, priority, suspended
         FROM ru_job WHERE id = ? AND handler_type = ?${lock ? ' FOR UPDATE' : ''}`,
      [jobId, START_TIMER_HANDLER],
    );
    if (row === undefined) return undefined;
    return {
      id: row.id,
      definitionId: row.process_definition_id,
      activityId: row.activity_id,
      dueDate: row.due_date,
      repeat: row.repeat_text,
      jobDefinitionId: row.job_definition_id,
      retries: Number(row.retries),
      priority: Number(row.priority),
      suspended: Number(row.suspended) === 1,
    };
  }

  /** The due dates of these start timers, to schedule. */
  async due(sql: Sql, jobIds: readonly string[]): Promise<DueTimer[]> {
    if (jobIds.length === 0) return [];
    const rows = await sql.select<{ id: string; due_date: Date }>(
      `SELECT id, due_date FROM ru_job WHERE id IN (${placeholders(jobIds.length)}) AND retries > 0 AND suspended = 0`,
      jobIds,
    );
    return rows.map(dueTimer);
  }

  async delete(sql: Sql, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await sql.execute(`DELETE FROM ru_job WHERE id IN (${placeholders(jobIds.length)})`, jobIds);
  }
}
