import type { ProcessEngineException } from '@libs/engine';

/** How a failed item's error is stored: Camunda's error body (`type`, `message`, `code`, reports). */
export function itemError(error: ProcessEngineException): string {
  return JSON.stringify({ ...error.extensions, type: error.type, message: error.message, code: error.code });
}

/** A failed execution job's `exceptionMessage`: the first failure as Camunda reports it, and how many more failed. */
export function jobExceptionMessage(batchId: string, failures: readonly ProcessEngineException[]): string {
  const [first] = failures;
  const more = failures.length - 1;
  return more === 0
    ? (first?.message ?? 'failed')
    : `${first?.message ?? 'failed'} (and ${more} more failed instance(s); see GET /batch/${batchId}/items?state=failed)`;
}
