/** Batch lifecycle: create, seed, execute, monitor, reconcile, suspend, delete, items and history. */
export { BatchService, type BatchWithStatistics } from './batch.service';
export { BatchSteps, type SeedOutcome, type ExecutionOutcome, type MonitorOutcome } from './batch-steps';
export { BatchRedispatcher } from './batch-redispatcher';
export { batchRepositories, type BatchStores, type InstanceApplier } from './batch-stores';
export { batchJobHandlers, type BatchJobHandlers } from './batch-jobs';
export {
  BATCH_TYPES,
  seedGeneration,
  type BatchType,
  type BatchTypeHandler,
  type BatchHandlers,
  type BatchDispatcher,
  type BatchSettings,
} from './batch-types';
export { deletionHandler } from './deletion.handler';
export { historicDeletionHandler } from './historic-deletion.handler';
export { setVariablesHandler } from './set-variables.handler';
export { correlateMessageHandler } from './correlate-message.handler';
export { suspensionHandler } from './suspension.handler';
export { BatchReports, type BatchOverview, type BatchProgress, type BatchTimeline } from './batch-reports';
export { describeBatch, type BatchDescription } from './batch-description';
export { BatchFailures } from './batch-failures';
export { jobRetriesHandler, type JobRedispatch } from './job-retries.handler';
export { migrationHandler } from './migration.handler';
export { modificationHandler } from './modification.handler';
export { restartHandler, type DefinitionLookup } from './restart.handler';
export { externalTaskRetriesHandler } from './external-task-retries.handler';
export { NO_BATCH_OBSERVER, type BatchObserver, type ExecutionJobRun } from './batch-types';
