import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ProcessModel } from '@libs/bpmn';
import { NotFoundException, ProcessEngineException, SuspendedEntityInteractionException } from '@libs/engine';
import type { JobRepository } from '@libs/persistence';
import { isTransientSqlError, retriedTransaction } from '../retry';
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

/** What a recorded failure left: the job's retries and its due date (null: none). */
export interface RecordedFailure {
  readonly retries: number;
  readonly dueDate: Date | null;
}

/**
 * How timers and asynchronous continuations record the failures the process causes: in a transaction
 * of its own (the failed step rolled back), the job loses a retry by its activity's retry cycle, keeps
 * the exception, gets its job log entry and, at 0 retries, its `failedJob` incident.
 */
export class JobFailures {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: JobRepository,
    private readonly modelOf: (definitionId: string) => Promise<ProcessModel>,
    private readonly clock: () => Date,
  ) {}

  record(jobId: string, error: Error): Promise<RecordedFailure> {
    return retriedTransaction(this.dataSource, (sql) =>
      this.repository.recordFailure(
        sql,
        {
          jobId,
          message: error.message,
          stackTrace: error.stack ?? `${error.name}: ${error.message}`,
          incidentId: randomUUID(),
          now: this.clock(),
        },
        this.modelOf,
      ),
    );
  }

  /**
   * Runs a job as a worker does: a process failure is recorded on the job (`told` hears of it, for the
   * log) and answered as a failed run, final at zero retries, or, when its retry cycle makes it wait,
   * as a run due again at its new due date; anything else is thrown, for the queue to retry.
   */
  async run(
    jobId: string,
    work: () => Promise<JobRun>,
    told: (retriesLeft: number, error: ProcessEngineException) => void,
  ): Promise<JobRun> {
    try {
      return await work();
    } catch (error) {
      if (!isProcessFailure(error)) throw error;
      const left = await this.record(jobId, error);
      told(left.retries, error);
      if (left.retries > 0 && left.dueDate !== null && left.dueDate > this.clock()) {
        return { status: 'later', at: left.dueDate };
      }
      return { status: 'failed', error, final: left.retries === 0 };
    }
  }

  /**
   * Runs a job now (`POST /job/{id}/execute`): a process failure costs the job a retry, as a failure
   * in a worker does, and is rethrown.
   */
  async execute(jobId: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isProcessFailure(error)) await this.record(jobId, error);
      throw error;
    }
  }
}
