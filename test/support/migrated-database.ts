import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@libs/persistence';
import { createTestDatabase, type TestDatabase } from './services';

/**
 * A database of the calling test file's own, with every migration applied, for tests that need the
 * schema but no API or worker: created before the file's tests and dropped after them. Call at the top
 * of a `describe`; the returned function gives the data source once `beforeAll` ran.
 */
export function useMigratedDatabase(): () => DataSource {
  let database: TestDatabase;
  let dataSource: DataSource | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url, poolSize: 3 });
    await dataSource.initialize();
    await runMigrations(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });
  return () => {
    if (!dataSource) throw new Error('the migrated database is only ready inside tests');
    return dataSource;
  };
}
