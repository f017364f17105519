import { insertRows, placeholders, updateRows, type Sql } from '../sql';
import {
  ACTIVITY_COLUMNS,
  historyRows,
  PROCESS_INSTANCE_COLUMNS,
  type HistoryEntry,
  type RowUpdate,
} from './history-rows';
import { IncidentRepository } from './incidents/incident.repository';
import { JobLogRepository } from './job-log/job-log.repository';
import { TASK_COLUMNS, taskHistoryRows } from './task-history-rows';
import { VariableHistoryRepository } from './variable-history/variable-history.repository';

export type { HistoryEntry } from './history-rows';

/**
 * Writes process-instance, activity-instance and variable history rows (what to write is `historyRows`'s, a pure
 * function of the engine's effects), set-wise: new rows in multi-row inserts, updates of earlier rows
 * by id, rows sharing their values in one statement.
 */
export class HistoryRepository {
  private sequence = 0;
  private readonly jobLog = new JobLogRepository();
  private readonly incidents = new IncidentRepository();
  private readonly variables = new VariableHistoryRepository();

  /**
   * Deletes the history of every instance of the given definitions (a cascading deployment deletion):
   * process and activity instances, variables and their details, the job log and incidents.
   */
  async deleteOfDefinitions(sql: Sql, definitionIds: readonly string[]): Promise<void> {
    if (definitionIds.length === 0) return;
    const list = placeholders(definitionIds.length);
    await this.jobLog.deleteOfDefinitions(sql, definitionIds);
    await this.incidents.deleteHistoryOfDefinitions(sql, definitionIds);
    // Before the process instance rows: variable history is found through them.
    await this.variables.removeOfDefinitions(sql, definitionIds);
    await sql.execute(`DELETE FROM hi_activity_instance WHERE definition_id IN (${list})`, definitionIds);
    await sql.execute(`DELETE FROM hi_task_instance WHERE definition_id IN (${list})`, definitionIds);
    await sql.execute(`DELETE FROM hi_process_instance WHERE definition_id IN (${list})`, definitionIds);
  }

  async record(sql: Sql, entries: readonly HistoryEntry[]): Promise<void> {
    const rows = historyRows(entries, (time) => this.nextSequence(time));
    await insertRows(sql, 'hi_process_instance', PROCESS_INSTANCE_COLUMNS, rows.processInstances);
    await insertRows(sql, 'hi_activity_instance', ACTIVITY_COLUMNS, rows.activityInstances);
    // After the inserts: an update may concern a row inserted by this very call.
    for (const updates of rows.processInstanceUpdates) await updateById(sql, 'hi_process_instance', updates);
    for (const updates of rows.activityInstanceUpdates)
      await updateById(sql, 'hi_activity_instance', updates);
    await this.variables.record(sql, entries);
    await recordTasks(sql, entries);
  }

  /** Orders history rows that start in the same millisecond by the order the engine produced them. */
  private nextSequence(time: Date): number {
    this.sequence = (this.sequence + 1) % 1000;
    return time.getTime() * 1000 + this.sequence;
  }
}

/** Task history (`hi_task_instance`): new tasks in one insert, then their changes set-wise. */
async function recordTasks(sql: Sql, entries: readonly HistoryEntry[]): Promise<void> {
  const rows = taskHistoryRows(entries);
  await insertRows(sql, 'hi_task_instance', TASK_COLUMNS, rows.created);
  for (const updates of rows.updates) await updateById(sql, 'hi_task_instance', updates);
  await updateById(sql, 'hi_task_instance', rows.migrated, 'activity_instance_id');
}

/**
 * Updates rows by id, each with the same set of columns (`values`), in one statement per chunk; of
 * several updates of one row, the last wins.
 */
async function updateById(sql: Sql, table: string, rows: readonly RowUpdate[], key = 'id'): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!.values);
  const latest = new Map(rows.map((row) => [row.id, row.values]));
  await updateRows(
    sql,
    table,
    key,
    columns,
    [...latest].map(([id, values]) => [id, ...columns.map((column) => values[column])]),
  );
}
