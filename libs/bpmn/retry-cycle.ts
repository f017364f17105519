/**
 * `camunda:failedJobRetryTimeCycle`: how often a failed job is retried and how long it waits before
 * each retry. Camunda reads two forms (`ParseUtil.parseRetryIntervals`, `DefaultJobRetryCmd`):
 * - `R<n>/<duration>`: n executions in all, each retry `<duration>` after the failure;
 * - `<d1>,<d2>,…,<dk>`: k + 1 executions, the i-th retry `d_i` after the i-th failure (the last
 *   interval for any further one).
 * Pure: no I/O.
 */
import { parseDuration, type IsoDuration } from './iso-duration';

/** A parsed retry cycle: the job's retries (its executions in all) and the waits between them. */
export interface RetryCycle {
  /** The text as written (trimmed). */
  readonly text: string;
  /** The retries a job starts with and gets again on its first failure (at least 1). */
  readonly retries: number;
  /** The waits after the 1st, 2nd, … failure; a repeat (`R3/PT5M`) has one. */
  readonly intervals: readonly IsoDuration[];
}

/** Camunda's count of an unbounded repeat (`R/PT5M`): `Integer.MAX_VALUE - 1`. */
const UNBOUNDED = 2_147_483_646;
const REPEAT = /^R(\d*)\/([^/]+)$/;

/**
 * Parses a retry cycle; a string saying what is wrong when it cannot be read (the deployment is
 * refused with it). Expressions (`${…}`) are not read here.
 */
export function parseRetryCycle(text: string): RetryCycle | string {
  const trimmed = text.trim();
  if (trimmed === '') return 'the retry cycle is empty';
  const repeat = REPEAT.exec(trimmed);
  if (repeat !== null) {
    const interval = parseDuration(repeat[2]!);
    if (interval === null) return `'${repeat[2]}' is not an ISO-8601 duration (e.g. PT5M)`;
    const times = repeat[1] === '' ? UNBOUNDED : Number(repeat[1]);
    if (!Number.isSafeInteger(times) || times > 2_147_483_647) return `'R${repeat[1]}' repeats too often`;
    return { text: trimmed, retries: Math.max(1, times), intervals: [interval] };
  }
  const intervals: IsoDuration[] = [];
  for (const part of trimmed.split(',')) {
    const interval = parseDuration(part);
    if (interval === null) {
      return `'${part.trim()}' is neither a repeat 'R<n>/<duration>' nor an ISO-8601 duration (e.g. R3/PT5M or PT1M,PT5M)`;
    }
    intervals.push(interval);
  }
  return { text: trimmed, retries: intervals.length + 1, intervals };
}

/**
 * The wait before the next execution after a failure, for a job that had `retries` before it (its
 * counter before the decrement; Camunda's index `max(0, min(k−1, k−(retries−1)))`).
 */
export function retryInterval(cycle: RetryCycle, retries: number): IsoDuration {
  const count = cycle.intervals.length;
  const index = Math.max(0, Math.min(count - 1, count - (retries - 1)));
  return cycle.intervals[index]!;
}
