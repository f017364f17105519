import {
  BatchRepository,
  BatchWorkRepository,
  HistoricBatchRepository,
  JobRepository,
} from '@libs/persistence';
import type { RuntimeService } from '@libs/runtime';

/**
 * What the batch services (steps, service, redispatcher) read and write, as narrow views of the
 * repositories: production passes the repositories ({@link batchRepositories}), unit tests in-memory
 * fakes (`./testing`). Each view names exactly the methods some batch service calls.
 */
export interface BatchStores {
  /** Runtime batch rows (`ru_batch`, with their history row as it is written). */
  readonly batches: Pick<
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
  readonly work: Pick<
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
  readonly jobs: Pick<
    JobRepository,
    | 'createBatchJobs'
    | 'lockBatchJob'
    | 'deleteBatchJob'
    | 'failBatchJob'
    | 'remainingBatchJobs'
    | 'runnableBatchJobs'
    | 'jobsOfBatch'
  >;
  /** Historic batches. */
  readonly history: Pick<HistoricBatchRepository, 'query' | 'count' | 'delete'>;
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
