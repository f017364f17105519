import type { EngineEffect } from '@libs/engine';

/**
 * Where asynchronous continuations go to be run: a BullMQ queue in production. Dispatching is
 * idempotent per job id; a lost dispatch is repaired by the reconciler from the job rows.
 */
export interface AsyncJobDispatcher {
  dispatch(jobIds: readonly string[]): Promise<void>;
  cancel(jobIds: readonly string[]): Promise<void>;
}

/** Acts on the asynchronous-continuation effects of committed operations. */
export async function applyAsyncJobEffects(
  dispatcher: AsyncJobDispatcher,
  effects: readonly EngineEffect[],
): Promise<void> {
  const created: string[] = [];
  const deleted: string[] = [];
  for (const effect of effects) {
    if (effect.type === 'asyncJobCreated' || effect.type === 'asyncJobResumed') created.push(effect.jobId);
    if (effect.type === 'asyncJobDeleted') deleted.push(effect.jobId);
  }
  if (deleted.length > 0) await dispatcher.cancel(deleted);
  if (created.length > 0) await dispatcher.dispatch(created);
}

/**
 * A dispatcher whose failures never fail the committed change that asked for it (the rows are the
 * truth; the reconciler dispatches runnable rows). `deferred` hears of each failure, for the log.
 */
export function bestEffortDispatcher(
  dispatcher: AsyncJobDispatcher,
  deferred: (error: unknown, jobIds: readonly string[]) => void,
): AsyncJobDispatcher {
  return {
    dispatch: (jobIds) => dispatcher.dispatch(jobIds).catch((error: unknown) => deferred(error, jobIds)),
    cancel: (jobIds) => dispatcher.cancel(jobIds).catch((error: unknown) => deferred(error, jobIds)),
  };
}
