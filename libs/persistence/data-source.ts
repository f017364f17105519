import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { migrations } from './migrations';

export interface DataSourceOptions {
  /** `mysql://user:password@host:port/database` */
  readonly url: string;
  readonly poolSize: number;
}

/**
 * The TypeORM data source over mysql2. The schema changes only through the committed migrations
 * (`synchronize` is off); times are stored and read as UTC.
 *
 * Every transaction runs at READ COMMITTED: an operation on an instance first takes the instance row's
 * lock and must then read the latest committed state of everything it decides on. Under InnoDB's
 * default REPEATABLE READ, a plain read after a lock wait still sees the snapshot the transaction took
 * at its first read, i.e. the state before the writer it waited for committed (a lost update that the
 * revision check cannot see, because the revision itself was read by the locking read).
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'mysql',
    url: options.url,
    poolSize: options.poolSize,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    connectTimeout: 10_000,
    synchronize: false,
    isolationLevel: 'READ COMMITTED',
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    migrations,
    entities: [],
    logging: false,
  });
}

/** A cheap round trip used by readiness checks. */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}
