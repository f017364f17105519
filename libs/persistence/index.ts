export { createDataSource, pingDatabase, type DataSourceOptions } from './data-source';
export { COLUMN_LIMITS, COLUMNS_BY_LIMIT, type ColumnLimit } from './column-limits';
export { runMigrations, ensureDatabase, MIGRATION_LOCK, type MigrationOutcome } from './migrator';
export { sqlOf, snapshot, transaction, selectInChunks, type Sql, type Page, type Sorting } from './sql';
export { transactionsOf, type Transactions } from './transactions';
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
export { InstanceStore, type LoadedInstance, type InstanceChange } from './repositories/instance-store';
export { storedValue } from './repositories/instance-tables';
export { HistoryRepository, type HistoryEntry } from './repositories/history.repository';
export { RestartSourceRepository, type RestartSource } from './repositories/restart-source.repository';
export {
  HistoricTaskRepository,
  HISTORIC_TASK_SORT_COLUMNS,
  type HistoricTaskQuery,
  type HistoricTaskRecord,
  type HistoricTaskSortKey,
} from './repositories/historic-task.repository';
export {
  ProcessInstanceRepository,
  processInstanceConditions,
  type InstanceRecordKind,
  type ProcessInstanceQuery,
  type ProcessInstanceRecord,
  type ProcessInstanceSortKey,
  type VariableFilter,
  type VariableOperator,
} from './repositories/process-instance.repository';
export {
  BatchRepository,
  type BatchRecord,
  type BatchStatistics,
  type BatchQuery,
  type BatchSortKey,
} from './repositories/batch.repository';
export {
  BatchWorkRepository,
  type BatchItemRecord,
  type BatchItemState,
  type ItemOutcome,
} from './repositories/batch-work.repository';
export {
  HistoricBatchRepository,
  type HistoricBatchRecord,
  type HistoricBatchQuery,
  type HistoricBatchSortKey,
} from './repositories/historic-batch.repository';
export * from './repositories/event-subscription.repository';
export * from './repositories/execution.repository';
export * from './repositories/start-event.repository';
export * from './repositories/jobs/start-timer.repository';
export {
  JobRepository,
  type BatchJobRecord,
  type DispatchableJob,
  type NewBatchJob,
  type JobSelector,
} from './repositories/jobs/job.repository';
export {
  JobDefinitionRepository,
  type DeployedDefinition,
  type JobDefinitionQuery,
  type JobDefinitionRecord,
  type JobDefinitionSelector,
  type JobDefinitionSortKey,
} from './repositories/jobs/job-definition.repository';
export {
  IncidentRepository,
  type IncidentQuery,
  type IncidentRecord,
  type NewJobIncident,
} from './repositories/incidents/incident.repository';
export {
  HISTORIC_INCIDENT_SORT_COLUMNS,
  type HistoricIncidentQuery,
  type HistoricIncidentRecord,
  type HistoricIncidentSortKey,
  type IncidentState,
} from './repositories/incidents/historic-incident-query';
export {
  JobLogRepository,
  JOB_LOG_SORT_COLUMNS,
  type JobLogQuery,
  type JobLogRecord,
  type JobLogSortKey,
} from './repositories/job-log/job-log.repository';
export type { JobFailure } from './repositories/jobs/job-failure';
export type {
  DateCondition,
  DueTimer,
  JobQuery,
  JobRecord,
  JobSortKey,
  RetriedJob,
  StoredJobKind,
} from './repositories/jobs/job-query';
export * from './repositories/historic-process-instance.repository';
export * from './repositories/historic-activity-instance.repository';
export {
  TaskRepository,
  type TaskQuery,
  type TaskRecord,
  type TaskSortKey,
} from './repositories/task.repository';
export {
  ExternalTaskRepository,
  type ExternalTaskQuery,
  type ExternalTaskListing,
  type ExternalTaskSortKey,
  type FetchAndLockRequest,
  type FetchTopicFilter,
} from './repositories/external-task.repository';
export * from './repositories/user-operation-log.repository';
export {
  StatisticsRepository,
  type IncidentCount,
  type IncidentSelection,
  type StatisticsOptions,
  type StatisticsRecord,
} from './repositories/statistics.repository';
export { BatchReportRepository, type FailureGroupRecord } from './repositories/batch-report.repository';
export {
  HISTORIC_DETAIL_SORT_COLUMNS,
  HISTORIC_VARIABLE_INSTANCE_SORT_COLUMNS,
  VariableHistoryQueries,
  type HistoricDetailQuery,
  type HistoricDetailRecord,
  type HistoricDetailSortKey,
  type HistoricValue,
  type HistoricVariableInstanceQuery,
  type HistoricVariableInstanceRecord,
  type HistoricVariableInstanceSortKey,
} from './repositories/variable-history/variable-history-query';
export {
  BATCH_STATES,
  BatchOverviewRepository,
  type BatchOverviewQuery,
  type BatchOverviewRecord,
  type BatchState,
  type FailedItemRecord,
  type SubjectBatchRecord,
} from './repositories/batch-overview.repository';
