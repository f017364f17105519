import { NotFoundException } from '@libs/engine';
import type { JobService } from '@libs/runtime';
import type { BatchReports } from './batch-reports';

/**
 * What operators do to a batch's failures, a reason group at a time (`reason`; undefined: every group):
 * retry them once their cause is fixed, or give them up so the batch can complete without them.
 */
export class BatchFailures {
  constructor(
    private readonly reports: BatchReports,
    private readonly jobs: Pick<JobService, 'setRetries' | 'delete'>,
  ) {}

  /**
   * Gives the failed execution jobs holding the group's items one retry (they re-run all their
   * unfinished items, other groups' in the same jobs included). Answers how many jobs; undefined when
   * no batch has the id.
   */
  async retry(batchId: string, reason?: string): Promise<number | undefined> {
    const jobIds = await this.reports.failedJobsOf(batchId, reason);
    if (jobIds === undefined) return undefined;
    for (const jobId of jobIds) await this.jobs.setRetries(jobId, 1);
    return jobIds.length;
  }

  /**
   * Gives up the group's items held by failed jobs (`skipped`: never run again, the instances left as
   * they are) and deletes each job left without a failed item, as `DELETE /job/{id}` does, which wakes
   * the monitor. Undefined when no batch has the id.
   */
  async giveUp(
    batchId: string,
    reason?: string,
  ): Promise<{ skippedItems: number; deletedJobs: number } | undefined> {
    const skipped = await this.reports.skipFailures(batchId, reason);
    if (skipped === undefined) return undefined;
    let deletedJobs = 0;
    for (const jobId of skipped.emptiedJobIds) if (await this.deleteIfPresent(jobId)) deletedJobs++;
    return { skippedItems: skipped.skipped, deletedJobs };
  }

  /** False when the job is gone already (a retry that ran meanwhile completed it). */
  private async deleteIfPresent(jobId: string): Promise<boolean> {
    try {
      await this.jobs.delete(jobId);
      return true;
    } catch (error) {
      if (error instanceof NotFoundException) return false;
      throw error;
    }
  }
}
