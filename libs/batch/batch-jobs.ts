import { NotFoundException, ProcessEngineException } from '@libs/engine';
import { withLogContext } from '@libs/logging';
import type { JobRecord, JobRepository, RetriedJob, Transactions } from '@libs/persistence';
import type { JobPayload } from '@libs/queue';
import { withRetry, type JobHandler, type JobRun, type StoredJobHandler } from '@libs/runtime';
import type { BatchRedispatcher } from './batch-redispatcher';
import type { BatchSteps } from './batch-steps';
import { jobsByBatch, type BatchDispatcher } from './batch-types';

/** The three kinds of batch job, as the jobs service runs and addresses them. */
export interface BatchJobHandlers {
  readonly 'batch-seed': JobHandler<'batch-seed'>;
  readonly 'batch-execution': StoredJobHandler<'batch-execution'>;
  readonly 'batch-monitor': JobHandler<'batch-monitor'>;
}

const done = (outcome: string): JobRun => ({ status: 'done', outcome });

/**
 * Seed, execution and monitor jobs of batches: each run is a batch step, logged with its batch (and
 * execution job); execution jobs are `ru_job` rows the REST API can execute, retry, re-date and delete.
 */
export function batchJobHandlers(
  transactions: Transactions,
  jobs: Pick<JobRepository, 'find' | 'deleteBatchJobAfterRun'>,
  steps: BatchSteps,
  dispatcher: BatchDispatcher,
  redispatcher: BatchRedispatcher,
  pollTimeMs: number,
  clock: () => Date = () => new Date(),
): BatchJobHandlers {
  return {
    'batch-seed': {
      run: ({ batchId }) => withLogContext({ batchId }, async () => done(await steps.seed(batchId))),
    },
    'batch-monitor': {
      /** Ends the batch when nothing is left, otherwise looks again after `pollTimeMs` (unless woken earlier). */
      run: ({ batchId }) =>
        withLogContext({ batchId }, async (): Promise<JobRun> => {
          const outcome = await steps.monitor(batchId);
          return outcome === 'poll'
            ? { status: 'later', at: new Date(clock().getTime() + pollTimeMs) }
            : done(outcome);
        }),
    },
    'batch-execution': {
      run: ({ batchId, jobId }: JobPayload<'batch-execution'>) =>
        withLogContext({ batchId, batchJobId: jobId }, async (): Promise<JobRun> => {
          const outcome = await steps.execute(batchId, jobId);
          if (outcome !== 'not-due') return done(outcome);
          const dueDate = (await jobs.find(transactions.plain(), jobId))?.dueDate;
          return dueDate ? { status: 'later', at: dueDate } : done('gone');
        }),

      /** Runs the job now, re-running its unfinished items; a failed item fails the call with the job's message. */
      async execute(job: JobRecord) {
        const batchId = job.batchId!;
        const outcome = await withLogContext({ batchId, batchJobId: job.id }, () =>
          steps.execute(batchId, job.id, { force: true }),
        );
        if (outcome === 'failed') {
          const failed = await jobs.find(transactions.plain(), job.id);
          throw new ProcessEngineException(failed?.exceptionMessage ?? 'failed');
        }
      },

      /** Jobs with retries again run at their due date, re-running only their unfinished items. */
      async schedule(retried: readonly RetriedJob[]) {
        const runnable = retried.filter((job) => job.retries > 0);
        for (const [batchId, ofBatch] of jobsByBatch(runnable))
          await redispatcher.dispatchOrDefer(batchId, 'execution jobs', () =>
            dispatcher.dispatchExecution(batchId, ofBatch),
          );
      },

      /**
       * Its unfinished items are abandoned and the batch can complete without them. A run in progress
       * ends first; if that run completed the job, there is nothing left to delete (NotFoundException),
       * so the answer never claims a deletion that did not happen.
       */
      async delete(job: JobRecord) {
        const deleted = await withRetry(() =>
          transactions.run((sql) => jobs.deleteBatchJobAfterRun(sql, job.id)),
        );
        if (!deleted)
          throw new NotFoundException(`No job found with id '${job.id}'`, { entity: 'job', id: job.id });
        const batchId = job.batchId!;
        await redispatcher.dispatchOrDefer(batchId, 'monitor', () =>
          dispatcher.dispatchMonitor(batchId, { now: true }),
        );
      },
    },
  };
}
