import { z } from 'zod';
import { NotFoundException } from '@libs/engine';
import { JobRepository, type RetriedJob } from '@libs/persistence';
import type { InstanceOutcome } from '@libs/runtime';
import type { BatchTypeHandler, ItemsOperation } from './batch-types';

const configurationSchema = z.object({
  retries: z.number().int().min(0),
  /** ISO date; `null`: due now; absent: the due dates stay. */
  dueDate: z.string().nullable().optional(),
});

export type JobRetriesConfiguration = z.infer<typeof configurationSchema>;

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
  redispatch: JobRedispatch,
  clock: () => Date = () => new Date(),
): BatchTypeHandler {
  const jobs = new JobRepository();
  return {
    subject: 'job',
    async prepare(configuration: string): Promise<ItemsOperation> {
      const { retries, dueDate } = configurationSchema.parse(JSON.parse(configuration));
      return async (sql, jobIds) => {
        const due = dueDate === undefined ? undefined : dueDate === null ? clock() : new Date(dueDate);
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
