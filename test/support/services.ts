import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/**
 * The MySQL and Redis servers the integration tests run on: the ones `npm test` provisions or was given
 * (`DATABASE_URL`, `REDIS_URL`). Each test file works in a database and a queue prefix of its own, so
 * test files and whole test runs never see each other's data.
 */
export function serviceUrls(): { databaseUrl: string; redisUrl: string } {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    throw new Error(
      'DATABASE_URL and REDIS_URL are not set: run the tests with `npm test`, which provides them',
    );
  }
  return { databaseUrl, redisUrl };
}

/** A short unique token for names of databases and queue prefixes created by this test run. */
export function uniqueToken(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty database on the test server; `drop()` removes it again. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { databaseUrl } = serviceUrls();
  const base = new URL(databaseUrl);
  const name = `${base.pathname.slice(1)}_t_${uniqueToken()}`.slice(0, 64);
  const admin = async <T>(work: (connection: Awaited<ReturnType<typeof createConnection>>) => Promise<T>) => {
    const serverUrl = new URL(databaseUrl);
    serverUrl.pathname = '/';
    const connection = await createConnection(serverUrl.toString());
    try {
      return await work(connection);
    } finally {
      await connection.end();
    }
  };
  await admin((c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``)).then(() => undefined),
  };
}
