import { NotFoundException } from '@libs/engine';
import type { JobRepository, RetriedJob } from '@libs/persistence';
import { jobRetriesBatchConfiguration, type InstanceOutcome } from '@libs/runtime';
import type { BatchTypeHandler, ItemsOperation } from './batch-types';

/**
 * What the job-retries batch needs once the new retries are committed: the jobs back in their queues,
 * each by its kind (the jobs service's `schedule`).
 */
export type JobRedispatch = (jobs: readonly RetriedJob[]) => Promise<void>;

/**
 * `set-job-retries` (`POST /job/retries`): sets the retries (and optionally the due date) of each
 * selected job in the execution job's transaction, then dispatches the jobs that may run again. An
 * unknown job fails its item. Setting the same retries twice leaves the same state.
 */
export function jobRetriesHandler(
  jobs: JobRepository,
  redispatch: JobRedispatch,
  clock: () => Date = () => new Date(),
): BatchTypeHandler {
  return {
    subject: 'job',
    async prepare(configuration: string): Promise<ItemsOperation> {
      const { retries, dueDate } = jobRetriesBatchConfiguration.read(configuration);
      return async (sql, jobIds) => {
        const due = dueDate === undefined ? undefined : (dueDate ?? clock());
        const found = await jobs.setRetries(sql, jobIds, retries, due);
        const known = new Set(found.map((job) => job.id));
        const outcomes = new Map<string, InstanceOutcome>(
          jobIds.map((id) => [
            id,
            known.has(id)
              ? { ok: true }
              : { ok: false, error: new NotFoundException(`No job found with id '${id}'.`) },
          ]),
        );
        return {
          outcomes,
          afterCommit: () => redispatch(found),
        };
      };
    },
  };
}
