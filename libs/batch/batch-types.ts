import type { InstanceOperation } from '@libs/runtime';

/** The batch types this service runs (Camunda's type names). */
export type BatchType = 'instance-deletion' | 'instance-migration' | 'instance-modification';

export const BATCH_TYPES: readonly BatchType[] = [
  'instance-deletion',
  'instance-migration',
  'instance-modification',
];

/**
 * What a batch type does to each instance of its selection. `prepare` turns the batch's stored
 * configuration (JSON) into the per-instance operation once per execution job; the operation throws a
 * ProcessEngineException for an instance it cannot handle, which fails that item only. Handlers that
 * need more than the configuration (models, definitions) get it at construction.
 */
export interface BatchTypeHandler {
  prepare(configuration: string): Promise<InstanceOperation>;
}

/** One handler per batch type: a type without a handler is a compile error. */
export type BatchHandlers = Readonly<Record<BatchType, BatchTypeHandler>>;

/** Where batch work is dispatched (BullMQ in production). Every call is idempotent. */
export interface BatchDispatcher {
  dispatchSeed(batchId: string, generation: number): Promise<void>;
  dispatchExecution(batchId: string, jobIds: readonly string[]): Promise<void>;
  dispatchMonitor(batchId: string, options: { now: boolean }): Promise<void>;
  removeBatchWork(
    batchId: string,
    executionJobIds: readonly string[],
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

/** The seed generation that identifies the next seed run: grows with every bit of progress. */
export function seedGeneration(batch: { jobsCreated: number; selectionCursor: number }): number {
  return batch.jobsCreated + batch.selectionCursor;
}
