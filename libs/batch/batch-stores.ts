import {
  BatchRepository,
  BatchWorkRepository,
  HistoricBatchRepository,
  JobRepository,
} from '@libs/persistence';
import type { RuntimeService } from '@libs/runtime';

/** Runtime batch rows (`ru_batch`, with their history row as it is written). */
export type BatchStore = Pick<
  BatchRepository,
  | 'insert'
  | 'find'
  | 'query'
  | 'count'
  | 'running'
  | 'setSuspended'
  | 'markExecutionStarted'
  | 'end'
  | 'highWater'
  | 'countSelection'
  | 'updateProgress'
>;

/** Items, their done ranges and outcomes. */
export type BatchWorkStore = Pick<
  BatchWorkRepository,
  | 'addItems'
  | 'materializeSelection'
  | 'itemsAfter'
  | 'unfinishedItemsOfJob'
  | 'recordOutcomes'
  | 'recordJobDone'
  | 'items'
  | 'countItems'
>;

/** Execution-job rows (`ru_job` with a batch). */
export type BatchJobStore = Pick<
  JobRepository,
  | 'createBatchJobs'
  | 'lockBatchJob'
  | 'deleteBatchJob'
  | 'failBatchJob'
  | 'remainingBatchJobs'
  | 'runnableBatchJobs'
  | 'jobsOfBatch'
>;

/** Historic batches (`hi_batch`). */
export type HistoricBatchStore = Pick<HistoricBatchRepository, 'query' | 'count' | 'delete'>;

/**
 * What the batch services (steps, service, redispatcher) read and write, as narrow views of the
 * repositories: production passes the repositories ({@link batchRepositories}), unit tests in-memory
 * fakes (`./testing`). Each view names exactly the methods some batch service calls.
 */
export interface BatchStores {
  readonly batches: BatchStore;
  readonly work: BatchWorkStore;
  readonly jobs: BatchJobStore;
  readonly history: HistoricBatchStore;
}

/** How a process-instance batch applies its engine operation to the instances of one execution job. */
export type InstanceApplier = Pick<RuntimeService, 'applyEach' | 'afterCommit'>;

/** The repositories behind {@link BatchStores}, sharing one job repository. */
export function batchRepositories(): BatchStores {
  const jobs = new JobRepository();
  return {
    batches: new BatchRepository(jobs),
    work: new BatchWorkRepository(jobs),
    jobs,
    history: new HistoricBatchRepository(),
  };
}
