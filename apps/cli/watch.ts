/**
 * `--watch`: follows a batch until every item has an outcome. A live progress bar on a terminal (one
 * line per change otherwise), failures summarised by reason as they appear; the result says whether
 * every item succeeded.
 */
import { SingleBar } from 'cli-progress';
import type { ApiClient } from './client';
import type { Output } from './output';

/** `GET /batch/{id}/progress` (beyond Camunda). */
export interface ProgressDto {
  readonly batchId: string;
  readonly type: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
  readonly itemsPerSecond: number;
  readonly estimatedEndTime: string | null;
  readonly endTime: string | null;
  readonly durationMs: number | null;
}

/** `GET /batch/{id}/failures` (beyond Camunda). */
export interface FailureGroupDto {
  readonly reason: string;
  readonly count: number;
  readonly sample: Readonly<Record<string, unknown>>;
}

export interface WatchResult {
  readonly progress: ProgressDto;
  readonly failures: readonly FailureGroupDto[];
  /** Every item done. */
  readonly succeeded: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `GET /batch/statistics?batchId=` (Camunda's, over jobs). */
interface BatchJobsDto {
  readonly totalJobs: number;
  readonly jobsCreated: number;
  readonly remainingJobs: number;
  readonly failedJobs: number;
}

/**
 * Every item has an outcome and nothing more will happen by itself: the batch ended, or every item
 * has an outcome and each job left has failed for good (retries 0; a job given retries runs again).
 * Before its seed counted the items, a batch has none yet.
 */
async function settled(client: ApiClient, progress: ProgressDto): Promise<boolean> {
  if (progress.endTime !== null) return true;
  // Without failures the batch ends (its monitor sets `endTime` right after the last job): wait for
  // that, so that "completed" is what every list shows afterwards too.
  if (progress.total === 0 || progress.pending > 0 || progress.failed === 0) return false;
  const [jobs] = await client.get<BatchJobsDto[]>('/batch/statistics', { batchId: progress.batchId });
  return (
    jobs === undefined || (jobs.jobsCreated === jobs.totalJobs && jobs.remainingJobs === jobs.failedJobs)
  );
}

export async function watchBatch(
  client: ApiClient,
  out: Output,
  batchId: string,
  intervalMs: number,
): Promise<WatchResult> {
  const display = out.json ? null : new ProgressDisplay(out);
  let failures: readonly FailureGroupDto[] = [];
  let failedSeen = 0;
  for (;;) {
    const progress = await client.get<ProgressDto>(`/batch/${batchId}/progress`);
    display?.update(progress);
    if (progress.failed > failedSeen) {
      failedSeen = progress.failed;
      failures = await failuresOf(client, batchId);
      display?.failures(failures);
    }
    if (await settled(client, progress)) {
      if (progress.failed > 0) failures = await failuresCounting(client, batchId, progress.failed);
      display?.stop();
      return { progress, failures, succeeded: progress.failed === 0 && progress.done === progress.total };
    }
    await sleep(intervalMs);
  }
}

/** How long the service may answer a batch status read from its cache (`BATCH_STATUS_CACHE_MS`). */
const STATUS_CACHE_MS = 500;

/**
 * The failure groups once they count `failed` items: a read within the service's status cache time of
 * the previous one may still answer the earlier groups.
 */
async function failuresCounting(
  client: ApiClient,
  batchId: string,
  failed: number,
): Promise<FailureGroupDto[]> {
  let groups = await failuresOf(client, batchId);
  for (
    let attempt = 0;
    attempt < 3 && groups.reduce((sum, group) => sum + group.count, 0) < failed;
    attempt++
  ) {
    await sleep(STATUS_CACHE_MS);
    groups = await failuresOf(client, batchId);
  }
  return groups;
}

/** The first page of a batch's failure groups, largest first. */
export function failuresOf(client: ApiClient, batchId: string): Promise<FailureGroupDto[]> {
  return client.get<FailureGroupDto[]>(`/batch/${batchId}/failures`, { maxResults: 20 });
}

export function progressLine(progress: ProgressDto): string {
  const eta = progress.estimatedEndTime === null ? '' : `, ETA ${progress.estimatedEndTime}`;
  return (
    `${progress.done}/${progress.total} done, ${progress.failed} failed, ${progress.pending} pending, ` +
    `${progress.itemsPerSecond} instances/s${eta}`
  );
}

/** One line per failure group: its count, reason and a sample instance (or job). */
export function failureLines(failures: readonly FailureGroupDto[]): string[] {
  return failures.map((group) => {
    const { processInstanceId, jobId } = group.sample as { processInstanceId?: string; jobId?: string };
    const sample = processInstanceId ?? jobId;
    const example =
      sample === undefined ? '' : ` (e.g. ${processInstanceId === undefined ? 'job' : 'instance'} ${sample})`;
    return `  ${group.count} × ${group.reason}${example}`;
  });
}

/** A progress bar on a terminal; elsewhere a line whenever the counts change. */
class ProgressDisplay {
  private readonly bar: SingleBar | null;
  private last = '';

  constructor(private readonly out: Output) {
    const stream = out.io.stderr as NodeJS.WriteStream;
    this.bar =
      stream.isTTY === true
        ? new SingleBar({
            stream,
            format:
              '{bar} {percentage}% | {value}/{total} | {failed} failed | {rate} instances/s | ETA {eta_formatted}',
            hideCursor: true,
          })
        : null;
  }

  update(progress: ProgressDto): void {
    const payload = { failed: progress.failed, rate: progress.itemsPerSecond };
    const value = progress.done + progress.failed;
    if (this.bar !== null) {
      if (this.last === '') this.bar.start(progress.total, value, payload);
      this.bar.update(value, payload);
      this.last = 'started';
      return;
    }
    const line = progressLine(progress);
    if (line !== this.last) this.out.note(line);
    this.last = line;
  }

  failures(failures: readonly FailureGroupDto[]): void {
    const lines = ['Failures so far:', ...failureLines(failures)];
    if (this.bar !== null) this.bar.stop();
    for (const line of lines) this.out.note(line);
    if (this.bar !== null) this.last = '';
  }

  stop(): void {
    this.bar?.stop();
  }
}
