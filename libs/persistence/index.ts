export { createDataSource, pingDatabase, type DataSourceOptions } from './data-source';
export { runMigrations, MIGRATION_LOCK, type MigrationOutcome } from './migrator';
