import type { DataSource } from 'typeorm';
import { createConnection } from 'mysql2/promise';

/** Name of the MySQL user lock that serialises schema migrations across processes. */
export const MIGRATION_LOCK = 'batch_ops_schema_migrations';

export interface MigrationOutcome {
  /** Names of the migrations this call applied (empty when the schema was already current). */
  readonly applied: readonly string[];
}

/**
 * Applies pending migrations while holding a MySQL `GET_LOCK`, so processes that start together
 * apply each migration exactly once: the second waits, then finds nothing left to do. MySQL DDL is
 * not transactional, so the lock, not a transaction, is what prevents the race.
 */
export async function runMigrations(
  dataSource: DataSource,
  options: { lockTimeoutSeconds?: number } = {},
): Promise<MigrationOutcome> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    const timeout = options.lockTimeoutSeconds ?? 120;
    const [row] = (await lockRunner.query('SELECT GET_LOCK(?, ?) AS acquired', [
      MIGRATION_LOCK,
      timeout,
    ])) as Array<{
      acquired: number | null;
    }>;
    if (Number(row?.acquired) !== 1) {
      throw new Error(`Could not acquire the migration lock '${MIGRATION_LOCK}' within ${timeout}s`);
    }
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return { applied: applied.map((migration) => migration.name) };
    } finally {
      await lockRunner.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]);
    }
  } finally {
    await lockRunner.release();
  }
}

/**
 * Creates the database named in `url` when the server does not have it yet (utf8mb4), so a fresh
 * server needs no manual step. Returns whether it was created. Needs the CREATE privilege only then.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/';
  const connection = await createConnection(target.toString());
  try {
    const [rows] = await connection.query(
      'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [name],
    );
    if ((rows as unknown[]).length > 0) return false;
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS ${connection.escapeId(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    return true;
  } finally {
    await connection.end();
  }
}
