import {
  BatchOverviewRepository,
  BatchReportRepository,
  BatchWorkRepository,
  HistoricBatchRepository,
  type BatchOverviewQuery,
  type BatchOverviewRecord,
  type FailedItemRecord,
  type FailureGroupRecord,
  type HistoricBatchRecord,
  type Page,
  type SubjectBatchRecord,
  type Transactions,
} from '@libs/persistence';
import { withRetry } from '@libs/runtime';

/** How far a batch is, over its items (instances, or jobs for `set-job-retries`). */
export interface BatchProgress {
  readonly batch: HistoricBatchRecord;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Failed items given up by an operator. */
  readonly skipped: number;
  readonly pending: number;
  /** Items handled per second: over the last minute while it runs, on average once it ended. */
  readonly itemsPerSecond: number;
  /** When it will end at that rate (its end once ended); null while nothing moves. */
  readonly estimatedEndTime: Date | null;
  /** From creation to its end, once ended. */
  readonly durationMs: number | null;
}

/** A batch as the console lists it: where it stands, its configuration and its progress. */
export interface BatchOverview extends BatchOverviewRecord {
  readonly progress: BatchProgress;
}

/** A batch's rate over time: instances per second in consecutive buckets from its execution start. */
export interface BatchTimeline {
  readonly bucketSeconds: number;
  readonly points: ReadonlyArray<{ readonly time: Date; readonly itemsPerSecond: number }>;
}

/** A timeline has at most about this many buckets, whatever the batch's duration. */
const TIMELINE_BUCKETS = 120;

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
  private readonly overviews = new BatchOverviewRepository();

  constructor(
    private readonly transactions: Transactions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Undefined when no batch (running or in history) has the id. */
  async progress(batchId: string): Promise<BatchProgress | undefined> {
    const batch = await this.batch(batchId);
    return batch === undefined ? undefined : this.progressOf(batch);
  }

  /** Batches newest first, each with its state, configuration and progress (a page of them). */
  async overview(query: BatchOverviewQuery, page?: Page): Promise<BatchOverview[]> {
    const records = await this.overviews.list(this.transactions.plain(), query, page);
    return Promise.all(records.map((record) => this.withProgress(record)));
  }

  countOverview(query: BatchOverviewQuery): Promise<number> {
    return this.overviews.count(this.transactions.plain(), query);
  }

  /** Undefined when no batch has the id. */
  async overviewOf(batchId: string): Promise<BatchOverview | undefined> {
    const record = await this.overviews.find(this.transactions.plain(), batchId);
    return record && this.withProgress(record);
  }

  /** The batches an instance was an item of (newest first, at most `limit`), with its outcome in each. */
  batchesOfInstance(instanceId: string, limit: number): Promise<SubjectBatchRecord[]> {
    return this.overviews.batchesOfSubject(this.transactions.plain(), instanceId, limit);
  }

  /** A page of the failed items of one group (`reason`; undefined: all); undefined when no batch has the id. */
  async failedItems(batchId: string, reason?: string, page?: Page): Promise<FailedItemRecord[] | undefined> {
    if ((await this.batch(batchId)) === undefined) return undefined;
    return this.overviews.failedItems(this.transactions.plain(), batchId, reason, page);
  }

  /**
   * Gives up the failed items of one group (`reason`; undefined: all) held by failed jobs: they become
   * `skipped` and are never run again. Answers how many, and the failed jobs that hold no failed item
   * any more, for the caller to delete (so the batch can complete); undefined when no batch has the id.
   */
  async skipFailures(
    batchId: string,
    reason?: string,
  ): Promise<{ skipped: number; emptiedJobIds: string[] } | undefined> {
    if ((await this.batch(batchId)) === undefined) return undefined;
    // Racing a retry or a run of the same jobs may deadlock: the transaction is run again, never answered.
    return withRetry(() =>
      this.transactions.run(async (sql) => {
        const jobIds = await this.reports.failedJobsOfFailures(sql, batchId, reason);
        return this.overviews.skipFailedItems(sql, batchId, reason, jobIds, this.clock());
      }),
    );
  }

  private async withProgress(record: BatchOverviewRecord): Promise<BatchOverview> {
    return { ...record, progress: await this.progressOf(record.batch) };
  }

  private async progressOf(batch: HistoricBatchRecord): Promise<BatchProgress> {
    const batchId = batch.id;
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

  /**
   * The batch's rate over time, in at most about {@link TIMELINE_BUCKETS} buckets of whole seconds from
   * its execution start to its end (or now); undefined when no batch has the id. The current bucket
   * of a running batch is measured over its elapsed part only.
   */
  async timeline(batchId: string): Promise<BatchTimeline | undefined> {
    const batch = await this.batch(batchId);
    if (batch === undefined) return undefined;
    const from = batch.executionStartTime ?? batch.startTime;
    const until = (batch.endTime ?? this.clock()).getTime();
    const span = Math.max(1, until - from.getTime());
    const bucketSeconds = Math.max(1, Math.ceil(span / 1000 / TIMELINE_BUCKETS));
    const buckets = await this.reports.handledPerBucket(
      this.transactions.plain(),
      batchId,
      from,
      bucketSeconds,
    );
    const last = Math.max(Math.floor(span / 1000 / bucketSeconds), ...buckets.keys());
    const points = [];
    for (let index = 0; index <= last; index++) {
      const start = from.getTime() + index * bucketSeconds * 1000;
      const seconds = Math.max(0.001, Math.min(bucketSeconds, (until - start) / 1000));
      points.push({ time: new Date(start), itemsPerSecond: (buckets.get(index) ?? 0) / seconds });
    }
    return { bucketSeconds, points };
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
