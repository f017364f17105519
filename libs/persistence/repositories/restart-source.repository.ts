import type { TypedValue } from '@libs/engine';
import { placeholders, selectInChunks, updateRows, type Sql } from '../sql';
import { typedValue } from './instance-tables';

/** What a restart reads of an instance's history row. */
export interface RestartSource {
  readonly id: string;
  readonly definitionId: string;
  readonly businessKey: string | null;
  readonly tenantId: string | null;
  readonly ended: boolean;
}

type VariableRow = { process_instance_id: string; name: string; type: string } & Record<string, unknown>;

/**
 * The history a restart starts from (Camunda's `RestartProcessInstancesCmd`): the ended instances, the
 * variables of their process scope (the last values, or those set as each started: the `initial`
 * details), and the link from a restarted instance to the one it restarts.
 */
export class RestartSourceRepository {
  /** The history rows of `ids` that exist, by id. */
  async sources(sql: Sql, ids: readonly string[]): Promise<Map<string, RestartSource>> {
    if (ids.length === 0) return new Map();
    const rows = await selectInChunks(ids, (chunk) =>
      sql.select<{
        id: string;
        definition_id: string;
        business_key: string | null;
        tenant_id: string | null;
        ended: number;
      }>(
        `SELECT id, definition_id, business_key, tenant_id, end_time IS NOT NULL AS ended
           FROM hi_process_instance WHERE id IN (${placeholders(chunk.length)})`,
        [...chunk],
      ),
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          definitionId: row.definition_id,
          businessKey: row.business_key,
          tenantId: row.tenant_id,
          ended: Number(row.ended) === 1,
        },
      ]),
    );
  }

  /** The process variables each instance had last (deleted ones left out), by instance id. */
  async lastVariables(sql: Sql, ids: readonly string[]): Promise<Map<string, Record<string, TypedValue>>> {
    if (ids.length === 0) return new Map();
    const rows = await selectInChunks(ids, (chunk) =>
      sql.select<VariableRow>(
        `SELECT process_instance_id, name, type, text_value, number_value FROM hi_variable_instance
          WHERE process_instance_id IN (${placeholders(chunk.length)})
            AND activity_instance_id = process_instance_id AND state = 'CREATED'
          ORDER BY create_time, id`,
        [...chunk],
      ),
    );
    return byInstance(rows);
  }

  /**
   * The process variables as each instance started (its `initial` variable updates; of several updates
   * of one variable while starting, the latest), by instance id.
   */
  async initialVariables(sql: Sql, ids: readonly string[]): Promise<Map<string, Record<string, TypedValue>>> {
    if (ids.length === 0) return new Map();
    const rows = await selectInChunks(ids, (chunk) =>
      sql.select<VariableRow>(
        `SELECT process_instance_id, name, type, text_value, number_value FROM hi_detail
          WHERE process_instance_id IN (${placeholders(chunk.length)})
            AND activity_instance_id = process_instance_id AND is_initial = 1
          ORDER BY sequence_counter, id`,
        [...chunk],
      ),
    );
    return byInstance(rows);
  }

  /** Records which ended instance each new instance restarted (`restartedProcessInstanceId`). */
  async markRestarted(
    sql: Sql,
    links: ReadonlyArray<{ readonly instanceId: string; readonly restartedId: string }>,
  ): Promise<void> {
    if (links.length === 0) return;
    await updateRows(
      sql,
      'hi_process_instance',
      'id',
      ['restarted_process_instance_id'],
      links.map((link) => [link.instanceId, link.restartedId]),
    );
  }
}

function byInstance(rows: readonly VariableRow[]): Map<string, Record<string, TypedValue>> {
  const variables = new Map<string, Record<string, TypedValue>>();
  for (const row of rows) {
    const values = variables.get(row.process_instance_id) ?? {};
    values[row.name] = typedValue(row.type, row.text_value, row.number_value);
    variables.set(row.process_instance_id, values);
  }
  return variables;
}
