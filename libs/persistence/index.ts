export { createDataSource, pingDatabase, type DataSourceOptions } from './data-source';
export { runMigrations, ensureDatabase, MIGRATION_LOCK, type MigrationOutcome } from './migrator';
export {
  sqlOf,
  transaction,
  insertRows,
  placeholders,
  Conditions,
  type Sql,
  type Row,
  type Page,
  type Sorting,
} from './sql';
export {
  DeploymentRepository,
  type DeploymentRecord,
  type ResourceRecord,
  type DeploymentQuery,
  type DeploymentSortKey,
} from './repositories/deployment.repository';
export {
  ProcessDefinitionRepository,
  type ProcessDefinitionRecord,
  type ProcessDefinitionQuery,
  type ProcessDefinitionSortKey,
} from './repositories/process-definition.repository';
