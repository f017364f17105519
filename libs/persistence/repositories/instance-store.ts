import { externalTaskIncidentChanges } from './incidents/external-task-incidents';
import { OptimisticLockingException, type EngineEffect, type ProcessInstanceState } from '@libs/engine';
import { insertRows, placeholders, updateRows, type Row, type Sql } from '../sql';
import { DefinitionInstanceCounts } from './definition-instance-counts';
import { IncidentRepository, type MovedJob } from './incidents/incident.repository';
import { JobDefinitionRepository } from './jobs/job-definition.repository';
import { JobRepository } from './jobs/job.repository';
import * as tables from './instance-tables';
import { RECORD_TABLES, type RecordTable } from './instance-tables';
import type { SharedRecordTable } from './record-table';

/** A state as loaded, with the revision its save must still find (optimistic locking). */
export interface LoadedInstance {
  readonly state: ProcessInstanceState;
  readonly revision: number;
}

/** A state to write: the one it was computed from (`null` for a new instance) and the result. */
export interface InstanceChange {
  readonly before: LoadedInstance | null;
  readonly after: ProcessInstanceState;
  /** The operation's effects: which jobs it ran (`jobExecuted`), for their incidents' end. */
  readonly effects?: readonly EngineEffect[];
}

type InstanceRow = {
  id: string;
  definition_id: string;
  definition_key: string;
  business_key: string | null;
  tenant_id: string | null;
  suspended: number;
  start_time: Date;
  revision: number;
  super_process_instance_id: string | null;
  super_activity_instance_id: string | null;
  root_process_instance_id: string | null;
};

/**
 * Loads and saves the runtime state of process instances set-wise: loading N instances costs one query
 * per table, saving them a few multi-row statements per table, whatever N is. Saving bumps each
 * instance's revision only if it is still the loaded one, so a concurrent writer's change is never
 * silently overwritten (OptimisticLockingException; the caller's transaction rolls back).
 * Ended instances leave the runtime tables (history keeps them).
 */
export class InstanceStore {
  private readonly counts = new DefinitionInstanceCounts();
  private readonly incidents = new IncidentRepository();
  private readonly jobs = new JobRepository();
  private readonly jobDefinitions = new JobDefinitionRepository();

  /** The states of those of `ids` that are running; `lock` takes row locks until the transaction ends. */
  async load(
    sql: Sql,
    ids: readonly string[],
    options: { lock?: boolean } = {},
  ): Promise<Map<string, LoadedInstance>> {
    const loaded = new Map<string, LoadedInstance>();
    if (ids.length === 0) return loaded;
    const unique = [...new Set(ids)];
    const rows = await sql.select<InstanceRow>(
      `SELECT * FROM ru_process_instance WHERE id IN (${placeholders(unique.length)})${options.lock ? ' FOR UPDATE' : ''}`,
      unique,
    );
    const found = rows.map((row) => row.id);
    const [
      activityInstances,
      tasks,
      externalTasks,
      eventSubscriptions,
      [jobs, asyncJobs],
      variables,
      eventScopes,
    ] = await Promise.all([
      this.recordsOf(sql, tables.activityInstances, found),
      this.recordsOf(sql, tables.tasks, found),
      this.recordsOf(sql, tables.externalTasks, found),
      this.recordsOf(sql, tables.eventSubscriptions, found),
      // Timers and asynchronous continuations share `ru_job`: one read for both.
      this.sharedRecordsOf(sql, tables.timerRows, tables.asyncJobRows, found),
      this.recordsOf(sql, tables.variables, found),
      this.recordsOf(sql, tables.eventScopes, found),
    ]);
    for (const row of rows) {
      const root = tables.rootActivityInstance({
        id: row.id,
        definitionId: row.definition_id,
        startTime: row.start_time,
      });
      const state: ProcessInstanceState = {
        id: row.id,
        definitionId: row.definition_id,
        definitionKey: row.definition_key,
        businessKey: row.business_key,
        tenantId: row.tenant_id,
        state: 'ACTIVE',
        suspended: Boolean(row.suspended),
        startTime: row.start_time,
        endTime: null,
        activityInstances: [root, ...(activityInstances.get(row.id) ?? [])],
        tasks: tasks.get(row.id) ?? [],
        externalTasks: externalTasks.get(row.id) ?? [],
        eventSubscriptions: eventSubscriptions.get(row.id) ?? [],
        jobs: jobs.get(row.id) ?? [],
        asyncJobs: asyncJobs.get(row.id) ?? [],
        variables: variables.get(row.id) ?? [],
        eventScopes: eventScopes.get(row.id) ?? [],
        ...callLinksOf(row),
      };
      loaded.set(row.id, { state, revision: Number(row.revision) });
    }
    return loaded;
  }

  /**
   * Writes the changes of many instances: one revision-checked `UPDATE` of the changed instance rows
   * (which also bumps their revisions), inserts of new rows, and per record table the inserted, updated
   * and deleted records only. Throws OptimisticLockingException when any instance was changed meanwhile.
   */
  async save(sql: Sql, changes: readonly InstanceChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.updateInstanceRows(
      sql,
      changes.filter((change) => change.before !== null),
    );
    const running = changes.filter((change) => change.after.state === 'ACTIVE');
    const ended = changes.filter((change) => change.after.state !== 'ACTIVE' && change.before !== null);
    // Before any job row is written (lock order: job definition, then job rows; see lockForNewJobs).
    const newJobs = insertedJobs(running);
    const definitionStates = await this.jobDefinitions.lockForNewJobs(
      sql,
      newJobs.map((job) => job.jobDefinitionId),
    );
    await insertRows(
      sql,
      'ru_process_instance',
      [...INSTANCE_COLUMNS, 'start_time', ...LINK_COLUMNS],
      running
        .filter((change) => change.before === null)
        .map(({ after }) => [
          ...instanceValues(after),
          after.startTime,
          after.callLinks?.superProcessInstanceId ?? null,
          after.callLinks?.superActivityInstanceId ?? null,
          after.callLinks?.rootProcessInstanceId ?? null,
        ]),
    );
    for (const table of RECORD_TABLES) {
      await this.writeRecords(sql, table, [
        ...running.map(({ before, after }) => ({
          instanceId: after.id,
          before: before ? table.of(before.state) : [],
          after: table.of(after),
        })),
        // An ended instance leaves no record behind: each goes by its key, as every row is written. (A
        // delete by `process_instance_id` may scan and lock every row of the table, batch jobs included.)
        ...ended.map(({ before, after }) => ({
          instanceId: after.id,
          before: table.of(before!.state),
          after: [],
        })),
      ]);
    }
    await this.jobs.applyDefinitionStates(sql, newJobs, definitionStates);
    await this.writeJobSuspension(sql, running);
    // A job that is gone takes its incident along: resolved when it ran, else deleted (cancelled with its
    // scope or instance); a failed job that a migration moved keeps its incident, re-pointed.
    const removed = removedJobs(changes);
    await this.incidents.resolveForJobs(sql, removed.executed);
    await this.incidents.deleteForJobs(sql, removed.deleted);
    await this.incidents.followJobs(sql, movedFailedJobs(changes));
    const externalTaskIncidents = externalTaskIncidentChanges(changes, new Date());
    await this.incidents.raiseForExternalTasks(sql, externalTaskIncidents.raised);
    await this.incidents.followExternalTasks(sql, externalTaskIncidents.moved);
    await this.incidents.endForExternalTasks(sql, externalTaskIncidents.resolved, 'resolved');
    await this.incidents.endForExternalTasks(sql, externalTaskIncidents.deleted, 'deleted');
    await this.counts.adjust(sql, definitionDeltas(changes));
    if (ended.length > 0) {
      await sql.execute(
        `DELETE FROM ru_process_instance WHERE id IN (${placeholders(ended.length)})`,
        ended.map((change) => change.after.id),
      );
    }
  }

  /**
   * Suspending or activating an instance suspends or activates all its jobs, as in Camunda (activation
   * also activates a job that was suspended on its own). Job suspension is the job row's state, which
   * the record tables never update (see `JOB_MANAGEMENT_COLUMNS`), so it is written here.
   */
  private async writeJobSuspension(sql: Sql, running: readonly InstanceChange[]): Promise<void> {
    for (const suspended of [true, false]) {
      const jobIds = running
        .filter(
          ({ before, after }) =>
            before && before.state.suspended !== after.suspended && after.suspended === suspended,
        )
        .flatMap(({ after }) => [...after.jobs, ...after.asyncJobs].map((job) => job.id));
      await this.jobs.setSuspended(sql, jobIds, suspended);
    }
  }

  /**
   * Writes the changed columns of changed instances and bumps their revisions, only where the revision
   * is still the loaded one; every row must match.
   */
  private async updateInstanceRows(sql: Sql, changes: readonly InstanceChange[]): Promise<void> {
    if (changes.length === 0) return;
    // Only the columns some instance changes: rows then share their values far more often (a migration
    // sets one definition on instances with a business key each) and update together.
    const values = changes.map(({ before, after }) => ({
      before: instanceValues(before!.state),
      after: instanceValues(after),
      revision: before!.revision,
    }));
    const positions = INSTANCE_COLUMNS.map((_, i) => i).filter(
      (i) => i > 0 && values.some((change) => change.before[i] !== change.after[i]),
    );
    const matched = await updateRows(
      sql,
      'ru_process_instance',
      'id',
      positions.map((i) => INSTANCE_COLUMNS[i]!),
      values.map((change) => [change.after[0], ...positions.map((i) => change.after[i]), change.revision]),
      { match: ['revision'], increment: 'revision' },
    );
    if (matched !== changes.length) {
      throw new OptimisticLockingException(
        `ENGINE-03005 Execution of 'UPDATE ProcessInstance' failed. Entity was updated by another transaction concurrently.`,
      );
    }
  }

  /** Inserts, updates and deletes the records of one table that differ between before and after. */
  private async writeRecords<R extends { readonly id: string }>(
    sql: Sql,
    table: RecordTable<R>,
    changes: ReadonlyArray<{ instanceId: string; before: readonly R[]; after: readonly R[] }>,
  ): Promise<void> {
    const inserts: unknown[][] = [];
    const updates: unknown[][] = [];
    const deletions: string[] = [];
    for (const { instanceId, before, after } of changes) {
      const previous = new Map(before.map((record) => [record.id, table.toRow(record)]));
      for (const record of after) {
        const row = table.toRow(record);
        const old = previous.get(record.id);
        previous.delete(record.id);
        if (!old) inserts.push([record.id, instanceId, ...row, ...(table.insertOnly?.values(record) ?? [])]);
        else if (!sameRow(old, row)) updates.push([record.id, ...row]);
      }
      deletions.push(...previous.keys());
    }
    for (let start = 0; start < deletions.length; start += 10_000) {
      const chunk = deletions.slice(start, start + 10_000);
      await sql.execute(`DELETE FROM ${table.table} WHERE id IN (${placeholders(chunk.length)})`, chunk);
    }
    await updateRows(sql, table.table, 'id', table.columns, updates);
    await insertRows(
      sql,
      table.table,
      ['id', 'process_instance_id', ...table.columns, ...(table.insertOnly?.columns ?? [])],
      inserts,
    );
  }

  private async recordsOf<R extends { readonly id: string }>(
    sql: Sql,
    table: RecordTable<R>,
    ids: readonly string[],
  ): Promise<Map<string, R[]>> {
    if (ids.length === 0) return new Map();
    const rows = await sql.select<Row>(
      `SELECT * FROM ${table.table} WHERE process_instance_id IN (${placeholders(ids.length)})${table.where ? ` AND ${table.where}` : ''}${table.orderBy ? ` ORDER BY ${table.orderBy}` : ''}`,
      ids,
    );
    return byInstance(table, rows);
  }

  /** The records of two kinds that share one table, read with one statement. */
  private async sharedRecordsOf<A extends { readonly id: string }, B extends { readonly id: string }>(
    sql: Sql,
    first: SharedRecordTable<A>,
    second: SharedRecordTable<B>,
    ids: readonly string[],
  ): Promise<[Map<string, A[]>, Map<string, B[]>]> {
    if (ids.length === 0) return [new Map(), new Map()];
    const rows = await sql.select<Row>(
      `SELECT * FROM ${first.table} WHERE process_instance_id IN (${placeholders(ids.length)}) AND ((${first.where}) OR (${second.where}))`,
      ids,
    );
    return [
      byInstance(
        first,
        rows.filter((row) => first.holds(row)),
      ),
      byInstance(
        second,
        rows.filter((row) => second.holds(row)),
      ),
    ];
  }
}

/** Records of `table` from its rows, by instance. */
function byInstance<R extends { readonly id: string }>(
  table: RecordTable<R>,
  rows: readonly Row[],
): Map<string, R[]> {
  const grouped = new Map<string, R[]>();
  for (const row of rows) {
    const instanceId = String(row.process_instance_id);
    const list = grouped.get(instanceId) ?? [];
    list.push(table.fromRow(row));
    grouped.set(instanceId, list);
  }
  return grouped;
}

/** The timers and asynchronous continuations that `changes` create. */
function insertedJobs(changes: readonly InstanceChange[]): Array<{ id: string; jobDefinitionId: string }> {
  const inserted: Array<{ id: string; jobDefinitionId: string }> = [];
  for (const { before, after } of changes) {
    const existing = new Set(
      before ? [...before.state.jobs, ...before.state.asyncJobs].map((job) => job.id) : [],
    );
    for (const job of [...after.jobs, ...after.asyncJobs]) {
      if (!existing.has(job.id)) inserted.push({ id: job.id, jobDefinitionId: job.jobDefinitionId });
    }
  }
  return inserted;
}

/**
 * The jobs (timers and asynchronous continuations) out of retries that `changes` remove (an ended
 * instance keeps none), whose incidents end with them: those the operation ran, and the others.
 */
function removedJobs(changes: readonly InstanceChange[]): { executed: string[]; deleted: string[] } {
  const executed: string[] = [];
  const deleted: string[] = [];
  for (const { before, after, effects } of changes) {
    if (before === null) continue;
    const ran = new Set<string>();
    for (const effect of effects ?? []) if (effect.type === 'jobExecuted') ran.add(effect.jobId);
    const kept = new Set(
      after.state === 'ACTIVE' ? [...after.asyncJobs, ...after.jobs].map((job) => job.id) : [],
    );
    for (const job of [...before.state.asyncJobs, ...before.state.jobs]) {
      // Only a job out of retries has an incident: the others cost no statement.
      if (!kept.has(job.id) && job.retries === 0) (ran.has(job.id) ? executed : deleted).push(job.id);
    }
  }
  return { executed, deleted };
}

/**
 * Failed asynchronous continuations (no retries left, so with an incident) that a change moved to
 * another activity, job definition or process definition: a migration.
 */
function movedFailedJobs(changes: readonly InstanceChange[]): MovedJob[] {
  const moved: MovedJob[] = [];
  for (const { before, after } of changes) {
    if (before === null || after.state !== 'ACTIVE') continue;
    const previous = new Map(before.state.asyncJobs.map((job) => [job.id, job]));
    for (const job of after.asyncJobs) {
      const old = previous.get(job.id);
      if (job.retries > 0 || old === undefined) continue;
      if (
        old.activityId !== job.activityId ||
        old.jobDefinitionId !== job.jobDefinitionId ||
        before.state.definitionId !== after.definitionId
      ) {
        moved.push({
          jobId: job.id,
          activityId: job.activityId,
          jobDefinitionId: job.jobDefinitionId,
          processDefinitionId: after.definitionId,
          processDefinitionKey: after.definitionKey,
        });
      }
    }
  }
  return moved;
}

/** How the number of running instances per definition changes with `changes`. */
function definitionDeltas(changes: readonly InstanceChange[]): Map<string, number> {
  const deltas = new Map<string, number>();
  const add = (definitionId: string, delta: number) =>
    deltas.set(definitionId, (deltas.get(definitionId) ?? 0) + delta);
  for (const { before, after } of changes) {
    if (before) add(before.state.definitionId, -1);
    if (after.state === 'ACTIVE') add(after.definitionId, 1);
  }
  return deltas;
}

const INSTANCE_COLUMNS = ['id', 'definition_id', 'definition_key', 'business_key', 'tenant_id', 'suspended'];
/** Written on insert only: a called instance's links never change. */
const LINK_COLUMNS = ['super_process_instance_id', 'super_activity_instance_id', 'root_process_instance_id'];

/** The `callLinks` of a called instance's row; nothing for an instance that is its own root. */
function callLinksOf(row: InstanceRow): Pick<ProcessInstanceState, 'callLinks'> {
  if (row.super_process_instance_id === null || row.super_activity_instance_id === null) return {};
  return {
    callLinks: {
      superProcessInstanceId: row.super_process_instance_id,
      superActivityInstanceId: row.super_activity_instance_id,
      rootProcessInstanceId: row.root_process_instance_id ?? row.super_process_instance_id,
    },
  };
}

function instanceValues(state: ProcessInstanceState): unknown[] {
  return [
    state.id,
    state.definitionId,
    state.definitionKey,
    state.businessKey,
    state.tenantId,
    state.suspended ? 1 : 0,
  ];
}

function sameRow(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.every((value, i) =>
    value instanceof Date && b[i] instanceof Date
      ? value.getTime() === (b[i] as Date).getTime()
      : value === b[i],
  );
}
