import { NotFoundException, ProcessEngineException, SuspendedEntityInteractionException } from '@libs/engine';
import { isTransientSqlError } from '../retry';
import type { JobRun } from './job-handler';

/**
 * A failure the process caused while a job ran (recorded on the job: one retry less, the message kept),
 * as opposed to a job that is gone, a suspended instance, or a transient database error (retried).
 */
export function isProcessFailure(error: unknown): error is ProcessEngineException {
  return (
    error instanceof ProcessEngineException &&
    !(error instanceof NotFoundException) &&
    !(error instanceof SuspendedEntityInteractionException) &&
    !isTransientSqlError(error)
  );
}

/**
 * Runs a job as a worker does: a process failure is recorded on the job (`record` answers the retries
 * left, `told` hears of it for the log) and answered as a failed run, final at zero retries; anything
 * else is thrown, for the queue to retry.
 */
export async function runRecordingFailure(
  run: () => Promise<JobRun>,
  record: (error: ProcessEngineException) => Promise<number>,
  told: (retriesLeft: number, error: ProcessEngineException) => void,
): Promise<JobRun> {
  try {
    return await run();
  } catch (error) {
    if (!isProcessFailure(error)) throw error;
    const retriesLeft = await record(error);
    told(retriesLeft, error);
    return { status: 'failed', error, final: retriesLeft === 0 };
  }
}
