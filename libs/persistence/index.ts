export { createDataSource, pingDatabase, type DataSourceOptions } from './data-source';
export { runMigrations, ensureDatabase, MIGRATION_LOCK, type MigrationOutcome } from './migrator';
