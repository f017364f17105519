import {
  BatchReportRepository,
  BatchWorkRepository,
  HistoricBatchRepository,
  type FailureGroupRecord,
  type HistoricBatchRecord,
  type Page,
  type Transactions,
} from '@libs/persistence';

/** How far a batch is, over its items (instances, or jobs for `set-job-retries`). */
export interface BatchProgress {
  readonly batch: HistoricBatchRecord;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
  /** Items handled per second: over the last minute while it runs, on average once it ended. */
  readonly itemsPerSecond: number;
  /** When it will end at that rate (its end once ended); null while nothing moves. */
  readonly estimatedEndTime: Date | null;
  /** From creation to its end, once ended. */
  readonly durationMs: number | null;
}

/** The window over which a running batch's rate is measured. */
const RATE_WINDOW_MS = 60_000;

/**
 * Reports for operators, beyond Camunda's job-based batch statistics: progress over items with rate and
 * estimated end, for running and ended batches alike (the history row and the items outlive the batch),
 * and failed items grouped by reason.
 */
export class BatchReports {
  private readonly history = new HistoricBatchRepository();
  private readonly work = new BatchWorkRepository();
  private readonly reports = new BatchReportRepository();

  constructor(
    private readonly transactions: Transactions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Undefined when no batch (running or in history) has the id. */
  async progress(batchId: string): Promise<BatchProgress | undefined> {
    const batch = await this.batch(batchId);
    if (batch === undefined) return undefined;
    const sql = this.transactions.plain();
    const counts = await this.work.itemCounts(sql, batchId);
    const now = this.clock();
    const handled = counts.done + counts.failed;
    const started = batch.executionStartTime ?? batch.startTime;
    let itemsPerSecond: number;
    if (batch.endTime !== null) {
      const seconds = Math.max(0.001, (batch.endTime.getTime() - started.getTime()) / 1000);
      itemsPerSecond = handled / seconds;
    } else {
      const since = new Date(Math.max(now.getTime() - RATE_WINDOW_MS, started.getTime()));
      const seconds = Math.max(1, (now.getTime() - since.getTime()) / 1000);
      itemsPerSecond = (await this.reports.itemsHandledSince(sql, batchId, since)) / seconds;
    }
    const estimatedEndTime =
      batch.endTime ??
      (itemsPerSecond > 0 ? new Date(now.getTime() + (counts.pending / itemsPerSecond) * 1000) : null);
    return {
      batch,
      ...counts,
      itemsPerSecond,
      estimatedEndTime,
      durationMs: batch.endTime === null ? null : batch.endTime.getTime() - batch.startTime.getTime(),
    };
  }

  /** Undefined when no batch has the id. */
  async failures(batchId: string, page?: Page): Promise<FailureGroupRecord[] | undefined> {
    if ((await this.batch(batchId)) === undefined) return undefined;
    return this.reports.failureGroups(this.transactions.plain(), batchId, page);
  }

  /** Undefined when no batch has the id. */
  async countFailures(batchId: string): Promise<number | undefined> {
    if ((await this.batch(batchId)) === undefined) return undefined;
    return this.reports.countFailureGroups(this.transactions.plain(), batchId);
  }

  /**
   * The failed jobs to retry for a group of failures (`reason`; undefined: all); undefined when no
   * batch has the id.
   */
  async failedJobsOf(batchId: string, reason?: string): Promise<string[] | undefined> {
    if ((await this.batch(batchId)) === undefined) return undefined;
    return this.reports.failedJobsOfFailures(this.transactions.plain(), batchId, reason);
  }

  private async batch(batchId: string): Promise<HistoricBatchRecord | undefined> {
    const [batch] = await this.history.query(this.transactions.plain(), { batchId });
    return batch;
  }
}
