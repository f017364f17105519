import { createConnection, type Connection } from 'mysql2/promise';
import { MIGRATION_LOCK } from '@libs/persistence';
import { logLines, startApp } from '../support/processes';
import { waitUntil } from '../support/redis-server';
import { createTestDatabase, serviceUrls, type TestDatabase } from '../support/services';

describe('schema migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('are applied exactly once when two processes start together', async () => {
    const env = { DATABASE_URL: database.url, REDIS_URL: serviceUrls().redisUrl };
    // Hold the migration lock so both processes are sure to overlap, then let them race for it.
    const holder = await createConnection(database.url);
    const waitingForLock = async (connection: Connection) => {
      const [rows] = await connection.query(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT GET_LOCK%' AND DB = ?",
        [database.name],
      );
      return Number((rows as Array<{ n: number }>)[0]!.n);
    };
    let runs;
    try {
      await holder.query('SELECT GET_LOCK(?, 0)', [MIGRATION_LOCK]);
      const started = [startApp('migrate', env), startApp('migrate', env)];
      // Two Node processes start: give them time on a loaded machine.
      await waitUntil(async () => (await waitingForLock(holder)) === 2, 45_000);
      const [tables] = await holder.query("SHOW TABLES LIKE 'schema_migrations'");
      expect(tables).toEqual([]);
      await holder.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]);
      runs = await Promise.all(started.map((process) => process.finished));
    } finally {
      await holder.end();
    }

    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    const appliedByEach = runs.map((run) =>
      logLines(run.stdout).flatMap((line) => (Array.isArray(line.applied) ? (line.applied as string[]) : [])),
    );
    // One process applied everything; the other waited for the lock and found nothing left.
    expect(appliedByEach.map((names) => names.length).sort()).toEqual([0, expect.any(Number)]);
    const applied = appliedByEach.flat();
    expect(applied.length).toBeGreaterThan(0);

    const connection = await createConnection(database.url);
    try {
      const [rows] = await connection.query(
        'SELECT name, COUNT(*) AS times FROM schema_migrations GROUP BY name',
      );
      const recorded = rows as Array<{ name: string; times: number }>;
      expect(recorded.map((row) => row.name).sort()).toEqual([...applied].sort());
      expect(recorded.every((row) => Number(row.times) === 1)).toBe(true);
    } finally {
      await connection.end();
    }
  }, 120_000);

  it('create the database first when the server does not have it', async () => {
    const url = new URL(database.url);
    url.pathname = `/${database.name}_new`;
    try {
      const run = await startApp('migrate', {
        DATABASE_URL: url.toString(),
        REDIS_URL: serviceUrls().redisUrl,
      }).finished;
      expect(run.code).toBe(0);
      const messages = logLines(run.stdout).map((line) => line.message);
      expect(messages).toEqual(['database created', 'migrations applied']);
    } finally {
      const connection = await createConnection(database.url);
      await connection.query(`DROP DATABASE IF EXISTS \`${database.name}_new\``);
      await connection.end();
    }
  });

  it('do nothing when the schema is already current', async () => {
    const run = await startApp('migrate', { DATABASE_URL: database.url, REDIS_URL: serviceUrls().redisUrl })
      .finished;
    expect(run.code).toBe(0);
    expect(logLines(run.stdout)).toContainEqual(
      expect.objectContaining({ message: 'schema is up to date', applied: [] }),
    );
  });
});
