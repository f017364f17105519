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
