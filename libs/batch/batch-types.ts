import type { BatchType } from '@libs/config';
import type { DispatchableJob, Sql } from '@libs/persistence';
import type { InstanceOperation, InstanceOutcome } from '@libs/runtime';

/** The batch types this service runs (Camunda's type names), as the configuration knows them. */
export { BATCH_TYPES, type BatchType } from '@libs/config';

/**
 * What a batch does to the items (instance or job ids) of one execution job, inside its transaction:
 * each item's outcome, and what to do once that transaction has committed (dispatching, which the
 * reconcilers repeat if it is lost). Applying it again to a done item must change nothing.
 */
export type ItemsOperation = (
  sql: Sql,
  itemIds: readonly string[],
) => Promise<{ outcomes: Map<string, InstanceOutcome>; afterCommit(): Promise<void> }>;

/** What the items of a batch handled set-wise are. */
export type ItemSubject = 'job' | 'external-task' | 'historic-process-instance';

/**
 * What a batch type does to each item of its selection. `prepare` turns the batch's stored
 * configuration (JSON) into the operation once per batch: for process instances (the default subject),
 * an engine operation per instance that throws a ProcessEngineException for an instance it cannot
 * handle, which fails that item only; for jobs (`subject: 'job'`), external tasks (`'external-task'`)
 * and the history of ended instances (`'historic-process-instance'`), an operation on a set of them.
 * Handlers that need more than the configuration (models, services) get it at construction.
 */
export type BatchTypeHandler =
  | { readonly subject?: 'process-instance'; prepare(configuration: string): Promise<InstanceOperation> }
  | {
      readonly subject: ItemSubject;
      prepare(configuration: string): Promise<ItemsOperation>;
    };

/** A handler that works on its set of items itself (jobs, history), not through the engine per instance. */
export type ItemsHandler = Extract<BatchTypeHandler, { readonly subject: ItemSubject }>;

export function handlesItems(handler: BatchTypeHandler): handler is ItemsHandler {
  return handler.subject !== undefined && handler.subject !== 'process-instance';
}

/** One handler per batch type: a type without a handler is a compile error. */
export type BatchHandlers = Readonly<Record<BatchType, BatchTypeHandler>>;

/** Where batch work is dispatched (BullMQ in production). Every call is idempotent. */
export interface BatchDispatcher {
  dispatchSeed(batchId: string, generation: number): Promise<void>;
  /** `type` (the batch type), when known, names the queue entries for operators. */
  dispatchExecution(batchId: string, jobs: readonly DispatchableJob[], type?: string): Promise<void>;
  dispatchMonitor(batchId: string, options: { now: boolean }): Promise<void>;
  removeBatchWork(
    batchId: string,
    executionJobs: readonly DispatchableJob[],
    seedGenerations: readonly number[],
  ): Promise<void>;
}

/** Tunables of batch execution, per batch type where it matters. */
export interface BatchSettings {
  readonly batchJobsPerSeed: number;
  readonly invocationsPerBatchJob: Readonly<Record<BatchType, number>>;
  /** How long a monitor waits before looking again when it was not woken (Camunda's `batchPollTime`). */
  readonly pollTimeMs: number;
  /** Instances a seed run turns from a query selection into items at most. */
  readonly selectionChunk: number;
}

/**
 * The seed generation that identifies the next seed run: grows with every bit of progress and every
 * activation, so it never names the seed entry that is just parking a suspended batch.
 */
export function seedGeneration(batch: {
  jobsCreated: number;
  selectionCursor: number;
  dispatch: number;
}): number {
  return batch.jobsCreated + batch.selectionCursor + batch.dispatch;
}

/** Jobs per batch, of those jobs that belong to one (timers have no batch). */
export function jobsByBatch<J extends { readonly batchId: string | null }>(
  jobs: readonly J[],
): Map<string, J[]> {
  const groups = new Map<string, J[]>();
  for (const job of jobs) {
    if (job.batchId === null) continue;
    const ofBatch = groups.get(job.batchId);
    if (ofBatch) ofBatch.push(job);
    else groups.set(job.batchId, [job]);
  }
  return groups;
}

/** What an execution job did, for whoever watches the batches (metrics). */
export interface ExecutionJobRun {
  readonly type: string;
  readonly done: number;
  readonly failed: number;
  readonly seconds: number;
}

/** Hears of every execution job run that did its items (done or failed); must not throw. */
export interface BatchObserver {
  executionJobRan(run: ExecutionJobRun): void;
}

export const NO_BATCH_OBSERVER: BatchObserver = { executionJobRan: () => undefined };
