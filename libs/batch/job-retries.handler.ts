import { z } from 'zod';
import { NotFoundException } from '@libs/engine';
import { JobRepository, type DispatchableJob } from '@libs/persistence';
import type { InstanceOutcome } from '@libs/runtime';
import { jobsByBatch, type BatchTypeHandler, type ItemsOperation } from './batch-types';

const configurationSchema = z.object({
  retries: z.number().int().min(0),
  /** ISO date; `null`: due now; absent: the due dates stay. */
  dueDate: z.string().nullable().optional(),
});

export type JobRetriesConfiguration = z.infer<typeof configurationSchema>;

/** What the job-retries batch needs once the new retries are committed: running the jobs again. */
export interface JobRedispatch {
  /** Batch execution jobs with retries again, per batch. */
  batchJobs(batchId: string, jobs: readonly DispatchableJob[]): Promise<void>;
  /** Timer jobs, scheduled anew from their rows. */
  timers(jobIds: readonly string[]): Promise<void>;
}

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
          async afterCommit() {
            if (retries === 0) return;
            for (const [batchId, retried] of jobsByBatch(found)) await redispatch.batchJobs(batchId, retried);
            await redispatch.timers(found.filter((job) => job.batchId === null).map((job) => job.id));
          },
        };
      };
    },
  };
}
