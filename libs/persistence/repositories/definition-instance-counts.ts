import type { Sql } from '../sql';

/** Counter rows per definition; a transaction adds to one of them, chosen at random. */
const SLOTS = 64;

/**
 * Running instances per process definition (`ru_definition_instances`), adjusted in the transaction of
 * every instance-row change, so that "all instances of definition X" is counted in constant time.
 */
export class DefinitionInstanceCounts {
  /** Adds `deltas` (definition id → change); one statement, rows in key order (no deadlock between savers). */
  async adjust(sql: Sql, deltas: ReadonlyMap<string, number>): Promise<void> {
    const changes = [...deltas].filter(([, delta]) => delta !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
    if (changes.length === 0) return;
    const slot = Math.floor(Math.random() * SLOTS);
    await sql.execute(
      `INSERT INTO ru_definition_instances (definition_id, slot, instances) VALUES ${changes.map(() => '(?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE instances = instances + VALUES(instances)`,
      changes.flatMap(([definitionId, delta]) => [definitionId, slot, delta]),
    );
  }

  /** Running instances of a definition, committed ones as this transaction sees them. */
  async count(sql: Sql, definitionId: string): Promise<number> {
    const [row] = await sql.select<{ n: number | null }>(
      'SELECT SUM(instances) AS n FROM ru_definition_instances WHERE definition_id = ?',
      [definitionId],
    );
    return Number(row?.n ?? 0);
  }
}
