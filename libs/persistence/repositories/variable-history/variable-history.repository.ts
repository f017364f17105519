import { randomUUID } from 'node:crypto';
import { insertRows, placeholders, updateRows, type Sql } from '../../sql';
import {
  changesVariables,
  DETAIL_COLUMNS,
  earlierVariableIds,
  VARIABLE_INSTANCE_COLUMNS,
  variableHistoryRows,
  type StoredVariable,
  type VariableHistoryEntry,
  type VariableRowUpdate,
} from './variable-history-rows';

/** Ids per read of stored rows, well below MySQL's placeholder limit. */
const CHUNK = 10_000;

/**
 * The one writer of `hi_variable_instance` and `hi_detail`: what `variableHistoryRows` says, set-wise,
 * in the transaction of the operations. Operations that change no variable cost no statement.
 */
export class VariableHistoryRepository {
  private sequence = 0;

  async record(sql: Sql, entries: readonly VariableHistoryEntry[]): Promise<void> {
    if (!changesVariables(entries)) return;
    const rows = variableHistoryRows(entries, await this.stored(sql, earlierVariableIds(entries)), {
      newId: randomUUID,
      nextSequence: (time) => {
        this.sequence = (this.sequence + 1) % 1000;
        return time.getTime() * 1000 + this.sequence;
      },
    });
    await insertRows(sql, 'hi_variable_instance', VARIABLE_INSTANCE_COLUMNS, rows.instances);
    for (const updates of rows.instanceUpdates) await updateById(sql, updates);
    await insertRows(sql, 'hi_detail', DETAIL_COLUMNS, rows.details);
  }

  /**
   * Removes the variable history of the instances of these definitions (a cascading deployment
   * deletion). By the instances' history rows, so it must run before those go; details written before
   * an instance was migrated name its former definition and go with it too.
   */
  async removeOfDefinitions(sql: Sql, definitionIds: readonly string[]): Promise<void> {
    if (definitionIds.length === 0) return;
    const list = placeholders(definitionIds.length);
    for (const table of ['hi_detail', 'hi_variable_instance']) {
      await sql.execute(
        `DELETE t FROM ${table} t JOIN hi_process_instance p ON p.id = t.process_instance_id
          WHERE p.definition_id IN (${list})`,
        definitionIds,
      );
    }
  }

  private async stored(sql: Sql, ids: readonly string[]): Promise<Map<string, StoredVariable>> {
    const stored = new Map<string, StoredVariable>();
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK);
      const rows = await sql.select<{ id: string; revision: number; type: string }>(
        `SELECT id, revision, type FROM hi_variable_instance WHERE id IN (${placeholders(chunk.length)})`,
        chunk,
      );
      for (const row of rows) stored.set(String(row.id), { revision: Number(row.revision), type: row.type });
    }
    return stored;
  }
}

async function updateById(sql: Sql, rows: readonly VariableRowUpdate[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!.values);
  await updateRows(
    sql,
    'hi_variable_instance',
    'id',
    columns,
    rows.map((row) => [row.id, ...columns.map((column) => row.values[column])]),
  );
}
