import {
  BATCH_TYPES,
  batchJobHandlers,
  BatchFailures,
  BatchReports,
  BatchService,
  BatchRedispatcher,
  BatchSteps,
  batchRepositories,
  deletionHandler,
  correlateMessageHandler,
  historicDeletionHandler,
  setVariablesHandler,
  suspensionHandler,
  jobRetriesHandler,
  type JobRedispatch,
  migrationHandler,
  modificationHandler,
  restartHandler,
  externalTaskRetriesHandler,
  type DefinitionLookup,
  type BatchHandlers,
  type BatchSettings,
  type BatchType,
} from '@libs/batch';
import type { Config } from '@libs/config';
import { JobDefinitionRepository, JobRepository, transactionsOf } from '@libs/persistence';
import { AsyncContinuationQueue, BatchQueues, TimerQueue } from '@libs/queue';
import {
  AsyncContinuationJobs,
  IncidentService,
  bestEffortDispatcher,
  bestEffortScheduler,
  JobDefinitionService,
  JobService,
  TimerJobs,
  ProcessModels,
  RepositoryService,
  RuntimeService,
} from '@libs/runtime';
import {
  HistoricDeletionService,
  HistoryService,
  MessageService,
  SignalService,
  ConditionService,
  selectedIds,
  InstanceBatchService,
  RestartService,
  ExternalTaskRetriesService,
} from '@libs/runtime';
import { ExternalTaskService, TaskService } from '@libs/runtime';
import {
  DeletionService,
  MigrationService,
  ModificationService,
  OperationLogService,
  StatisticsService,
  SuspensionService,
} from '@libs/runtime';
import type { Infrastructure } from './infrastructure';

/** The services of the imperative shell, built once per process on its connections. */
export interface Services {
  readonly models: ProcessModels;
  readonly repository: RepositoryService;
  readonly runtime: RuntimeService;
  /** Jobs of every kind, by id and from their queues. */
  readonly jobs: JobService;
  /** Job definitions: queries, suspension and priority overrides. */
  readonly jobDefinitions: JobDefinitionService;
  /** Timer jobs: their reconciler, and re-scheduling after an instance is activated. */
  readonly timers: TimerJobs;
  /** Asynchronous continuations: their reconciler, and re-dispatching after an instance is activated. */
  readonly asyncContinuations: AsyncContinuationJobs;
  readonly incidents: IncidentService;
  readonly batches: BatchService;
  /** Beyond Camunda: batch progress over items and failures by reason. */
  readonly batchReports: BatchReports;
  /** Beyond Camunda: retrying or giving up a batch's failures by reason. */
  readonly batchFailures: BatchFailures;
  readonly batchSteps: BatchSteps;
  readonly batchRedispatcher: BatchRedispatcher;
  readonly messages: MessageService;
  readonly signals: SignalService;
  readonly conditions: ConditionService;
  readonly history: HistoryService;
  readonly historicDeletions: HistoricDeletionService;
  readonly instanceBatches: InstanceBatchService;
  /** Restarting ended instances, at once or as an `instance-restart` batch. */
  readonly restarts: RestartService;
  /** External task retries: one, many at once, or a `set-external-task-retries` batch. */
  readonly externalTaskRetries: ExternalTaskRetriesService;
  readonly migrations: MigrationService;
  readonly modifications: ModificationService;
  readonly deletions: DeletionService;
  readonly suspensions: SuspensionService;
  /** Camunda's statistics of definitions and their activities. */
  readonly statistics: StatisticsService;
  readonly operationLog: OperationLogService;
  readonly timerQueue: TimerQueue;
  readonly asyncContinuationQueue: AsyncContinuationQueue;
  readonly batchQueues: BatchQueues;
  readonly tasks: TaskService;
  readonly externalTasks: ExternalTaskService;
  close(): Promise<void>;
}

/** Each batch type's handler: a type without one does not compile. */
function batchHandlers(
  migrations: MigrationService,
  jobRows: JobRepository,
  redispatch: JobRedispatch,
  runtime: RuntimeService,
  definitions: DefinitionLookup,
): BatchHandlers {
  return {
    'correlate-message': correlateMessageHandler,
    'historic-process-instance-deletion': historicDeletionHandler,
    'instance-deletion': deletionHandler,
    'instance-migration': migrationHandler(migrations),
    'instance-modification': modificationHandler,
    'instance-restart': restartHandler(runtime, definitions),
    'instance-update-suspension-state': suspensionHandler,
    'set-external-task-retries': externalTaskRetriesHandler(runtime),
    'set-job-retries': jobRetriesHandler(jobRows, redispatch),
    'set-variables': setVariablesHandler,
  };
}

export function batchSettings(config: Config): BatchSettings {
  const invocations = Object.fromEntries(
    BATCH_TYPES.map((type) => [
      type,
      config.batch.invocationsPerJobByType[type] ?? config.batch.invocationsPerJob,
    ]),
  ) as Record<BatchType, number>;
  return {
    batchJobsPerSeed: config.batch.jobsPerSeed,
    invocationsPerBatchJob: invocations,
    pollTimeMs: config.batch.pollTimeMs,
    selectionChunk: 10_000,
  };
}

export function buildServices(infrastructure: Infrastructure): Services {
  const { dataSource, queues, config, logger } = infrastructure;
  const models = new ProcessModels(dataSource);
  const timerQueue = new TimerQueue(queues);
  // A change is committed before its timers go to Redis; if Redis fails then, the change stands and the
  // reconciler schedules the timers from their rows.
  const timers = bestEffortScheduler(timerQueue, (error, jobIds) =>
    logger.warn('timer dispatch deferred to the reconciler', {
      component: 'timers',
      jobs: jobIds.length,
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  const asyncContinuationQueue = new AsyncContinuationQueue(queues);
  const asyncDispatcher = bestEffortDispatcher(asyncContinuationQueue, (error, jobIds) =>
    logger.warn('async continuation dispatch deferred to the reconciler', {
      component: 'async-continuations',
      jobs: jobIds.length,
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  const batchQueues = new BatchQueues(queues);
  const runtimeLogger = logger.child({ component: 'runtime' });
  const runtime = new RuntimeService(dataSource, models, timers, asyncDispatcher, undefined, (retry) =>
    runtimeLogger.info('transaction retried', retry),
  );
  const settings = batchSettings(config);
  const repository = new RepositoryService(dataSource, models, timers);
  const operationLog = new OperationLogService(dataSource);
  const batchLogger = logger.child({ component: 'batch' });
  const transactions = transactionsOf(dataSource);
  const batchStores = batchRepositories();
  const batchRedispatcher = new BatchRedispatcher(batchStores, transactions, batchQueues, batchLogger);
  // The runtime's async use cases launch their batches through this service (their BatchLauncher).
  const batches = new BatchService(
    batchStores,
    transactions,
    batchQueues,
    batchRedispatcher,
    settings,
    batchLogger,
  );
  const migrations = new MigrationService(repository, models, runtime, operationLog, batches);
  // The set-job-retries batch puts the jobs it retried back in their queues through the jobs service,
  // which is built after the batch steps it runs.
  const jobRows = new JobRepository();
  const handlers = batchHandlers(
    migrations,
    jobRows,
    (retried) => jobs.schedule(retried),
    runtime,
    (id) => repository.getDefinition(id),
  );
  const batchSteps = new BatchSteps(
    batchStores,
    transactions,
    runtime,
    handlers,
    batchQueues,
    settings,
    batchLogger,
    undefined,
    {
      executionJobRan: ({ type, done, failed, seconds }) => {
        infrastructure.metrics.batchItems.inc({ type, outcome: 'done' }, done);
        infrastructure.metrics.batchItems.inc({ type, outcome: 'failed' }, failed);
        infrastructure.metrics.executionJobDuration.observe({ type }, seconds);
      },
    },
  );
  const timerJobs = new TimerJobs(dataSource, jobRows, runtime, timers, logger.child({ component: 'timer' }));
  const asyncContinuations = new AsyncContinuationJobs(
    dataSource,
    jobRows,
    runtime,
    asyncDispatcher,
    logger.child({ component: 'async-continuations' }),
  );
  const history = new HistoryService(dataSource);
  const batchReports = new BatchReports(transactions);
  const jobs: JobService = new JobService(
    dataSource,
    jobRows,
    {
      timer: timerJobs,
      'async-continuation': asyncContinuations,
      ...batchJobHandlers(
        transactions,
        jobRows,
        batchSteps,
        batchQueues,
        batchRedispatcher,
        settings.pollTimeMs,
      ),
    },
    batches,
    (selection) => selectedIds(runtime, history, selection),
  );
  return {
    models,
    repository,
    runtime,
    jobs,
    jobDefinitions: new JobDefinitionService(
      dataSource,
      new JobDefinitionRepository(),
      jobRows,
      (activated) => jobs.schedule(activated),
    ),
    timers: timerJobs,
    asyncContinuations,
    incidents: new IncidentService(dataSource, operationLog),
    batches,
    batchSteps,
    batchReports,
    batchFailures: new BatchFailures(batchReports, jobs),
    batchRedispatcher,
    messages: new MessageService(dataSource, runtime),
    signals: new SignalService(dataSource, runtime),
    conditions: new ConditionService(dataSource, runtime),
    history,
    historicDeletions: new HistoricDeletionService(dataSource, history, operationLog, batches),
    instanceBatches: new InstanceBatchService(history, operationLog, batches),
    restarts: new RestartService(dataSource, repository, runtime, history, operationLog, batches),
    externalTaskRetries: new ExternalTaskRetriesService(dataSource, runtime, history, operationLog, batches),
    migrations,
    modifications: new ModificationService(repository, runtime, operationLog, batches, history),
    deletions: new DeletionService(runtime, batches, history),
    suspensions: new SuspensionService(runtime, batches, history),
    statistics: new StatisticsService(dataSource, repository),
    operationLog,
    timerQueue,
    asyncContinuationQueue,
    tasks: new TaskService(dataSource, runtime),
    externalTasks: new ExternalTaskService(dataSource, runtime),
    batchQueues,
    close: async () => {
      await Promise.all([timerQueue.close(), asyncContinuationQueue.close(), batchQueues.close()]);
    },
  };
}
