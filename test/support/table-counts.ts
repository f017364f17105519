import type { DataSource } from 'typeorm';

/** The number of rows of every table of the current database, by table name. */
export async function tableRowCounts(dataSource: DataSource): Promise<Record<string, number>> {
  const tables = (await dataSource.query(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )) as Array<{ name: string }>;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = (await dataSource.query(`SELECT COUNT(*) AS n FROM \`${name}\``)) as Array<{ n: number }>;
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}
