/** The imperative shell around the pure engine: loads state, runs engine operations, saves the result. */
export { ProcessModels } from './process-models';
export { RepositoryService, type DeployCommand, type DeploymentResult } from './repository.service';
export {
  withRetry,
  retriedTransaction,
  isTransientSqlError,
  type RetryObserver,
  type TransactionRetry,
} from './retry';
export {
  RuntimeService,
  type InstanceOperation,
  type InstanceOutcome,
  type StartCommand,
  type StartOutcome,
  type UpdateManyOptions,
  type RecordKind,
} from './runtime.service';
export {
  applyTimerEffects,
  bestEffortScheduler,
  type TimerScheduler,
  type ScheduledTimer,
} from './timer-scheduler';
export { JobService, type SetRetriesAsyncCommand } from './jobs/job.service';
export { JobDefinitionService, type JobDefinitionSuspension } from './jobs/job-definition.service';
export { jobRetriesBatchConfiguration, type JobRetriesPlan } from './jobs/job-retries-batch-configuration';
export { TimerJobs, type TimerOutcome } from './jobs/timer-jobs';
export { IncidentService } from './incident.service';
export { AsyncContinuationJobs, type AsyncJobOutcome } from './jobs/async-continuation-jobs';
export { applyAsyncJobEffects, bestEffortDispatcher, type AsyncJobDispatcher } from './async-job-dispatcher';
export type { JobHandler, JobHandlers, JobKind, JobRun, StoredJobHandler } from './jobs/job-handler';
export {
  MessageService,
  type CorrelateMessageCommand,
  type CorrelatedExecution,
  type CorrelatedStart,
  type CorrelationOutcome,
} from './message.service';
export { SignalService, type SignalCommand } from './signal.service';
export { ConditionService, type EvaluateConditionCommand } from './condition.service';
export { HistoryService } from './history.service';
export { TaskService } from './task.service';
export {
  ExternalTaskService,
  type FetchTopic,
  type FetchRequest,
  type FetchOptions,
  type BpmnErrorReport,
  type FailureReport,
  type LockedExternalTask,
} from './external-task.service';
export { OperationLogService, OPERATION_TYPES, NO_CHANGE, change } from './operation-log.service';
export { type BatchLauncher, type CreateBatchCommand } from './batch-launcher';
export {
  readSelection,
  selectedIds,
  type InstanceSelection,
  type SelectionMessages,
  type SelectionRequest,
} from './instance-selection';
export {
  MigrationService,
  migrationOperation,
  type MigrationActor,
  type MigrationExecution,
  type ResolvedDefinition,
} from './migration.service';
export {
  migrationBatchConfiguration,
  type MigrationBatchConfiguration,
  type MigrationBatchPlan,
} from './migration-batch-configuration';
export {
  ModificationService,
  instanceNotModifiable,
  singleModificationOperation,
  multiModificationOperation,
  type ModificationExecution,
  type ModificationOptions,
} from './modification.service';
export {
  modificationBatchConfiguration,
  type ModificationBatchConfiguration,
  type ModificationBatchPlan,
} from './modification-batch-configuration';
export { StatisticsService, type DefinitionStatistics } from './statistics.service';
export { SuspensionService, type SuspensionSelection } from './suspension.service';
export {
  suspensionBatchConfiguration,
  type SuspensionBatchConfiguration,
} from './suspension-batch-configuration';
export { DeletionService, type DeleteInstanceOptions, type DeleteInstancesCommand } from './deletion.service';
export { deletionBatchConfiguration, type DeletionBatchConfiguration } from './deletion-batch-configuration';
export {
  HistoricDeletionService,
  deleteHistoricInstances,
  type DeleteHistoryCommand,
} from './historic-deletion.service';
export {
  historicDeletionBatchConfiguration,
  type HistoricDeletionBatchConfiguration,
} from './historic-deletion-batch-configuration';
export {
  InstanceBatchService,
  type CorrelateMessageAsyncCommand,
  type SetVariablesAsyncCommand,
} from './instance-batch.service';
export { setVariablesBatchConfiguration, type SetVariablesPlan } from './set-variables-batch-configuration';
export {
  correlateMessageBatchConfiguration,
  type CorrelateMessagePlan,
} from './correlate-message-batch-configuration';
export { RestartService, restartInstances, type RestartCommand } from './restart.service';
export { restartBatchConfiguration, type RestartPlan } from './restart-batch-configuration';
export {
  ExternalTaskRetriesService,
  externalTaskRetriesBatchConfiguration,
  setRetriesOf,
  type ExternalTaskRetriesSelection,
} from './external-task-retries.service';
