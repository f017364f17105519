import { NotFoundException, ProcessEngineException, SuspendedEntityInteractionException } from '@libs/engine';
import { isTransientSqlError } from '../retry';

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
