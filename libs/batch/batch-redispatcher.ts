import type { Logger } from '@libs/logging';
import type { BatchRecord, Transactions } from '@libs/persistence';
import type { BatchStores } from './batch-stores';
import { seedGeneration, type BatchDispatcher } from './batch-types';

/**
 * Dispatches a batch's pending work from its rows (MySQL holds the truth; dispatch is idempotent): the
 * seed while seeding, every runnable execution job, and the monitor once seeding is done. The API uses it
 * when a batch is activated, the worker's reconciler for every running batch, repairing what the queue
 * lost (a Redis restart or flush).
 */
export class BatchRedispatcher {
  constructor(
    private readonly stores: Pick<BatchStores, 'batches' | 'jobs'>,
    private readonly transactions: Transactions,
    private readonly dispatcher: BatchDispatcher,
    private readonly logger: Logger,
  ) {}

  /** Re-dispatches the work of every running, active batch; returns how many execution jobs it dispatched. */
  async reconcile(): Promise<number> {
    let batches = 0;
    let jobs = 0;
    for (const batch of await this.stores.batches.running(this.transactions.plain())) {
      if (batch.suspended) continue;
      jobs += await this.redispatch(batch);
      batches += 1;
    }
    if (jobs > 0) this.logger.info('batch reconciler re-dispatched', { batches, jobs });
    return jobs;
  }

  /** Dispatches one batch's pending work; returns how many execution jobs it dispatched. */
  async redispatch(batch: BatchRecord): Promise<number> {
    const sql = this.transactions.plain();
    if (!batch.seedingDone) await this.dispatcher.dispatchSeed(batch.id, seedGeneration(batch));
    let dispatched = 0;
    for (let after = ''; ;) {
      const jobs = await this.stores.jobs.runnableBatchJobs(sql, batch.id, after, 5_000);
      if (jobs.length === 0) break;
      await this.dispatcher.dispatchExecution(batch.id, jobs, batch.type);
      dispatched += jobs.length;
      after = jobs[jobs.length - 1]!.id;
    }
    if (batch.seedingDone) await this.dispatcher.dispatchMonitor(batch.id, { now: false });
    return dispatched;
  }

  /**
   * Runs a dispatch after its change has committed: if Redis fails now, the change stands and the
   * reconciler dispatches the work from its rows later, so the failure is logged, never thrown.
   */
  async dispatchOrDefer(batchId: string, what: string, dispatch: () => Promise<unknown>): Promise<void> {
    try {
      await dispatch();
    } catch (error) {
      this.logger.warn('batch dispatch deferred to the reconciler', {
        batchId,
        what,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
