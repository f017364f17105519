/**
 * Repeating timers of a running instance. A timer cycle (`R<n>/[<start>/]<duration>`) that fired on an
 * event which stays (a non-interrupting event sub-process start or boundary event) is followed by a
 * new timer job, as Camunda creates a new timer for each repetition: one period after the fired due
 * date (or after now, when that lies behind), with the count decremented; `R` without a count repeats
 * for ever.
 */
import type { EngineRun } from './engine-run';
import { initialJobRetries } from './async-continuations';
import type { TimerJob } from '../state/instance-state';
import { nextCycle } from './timers';

/** Schedules the repetition that follows the fired cycle job `fired`, if it has one left. */
export function rescheduleCycle(run: EngineRun, fired: TimerJob): void {
  if (fired.repeat === null) return;
  const base = fired.dueDate.getTime() > run.now.getTime() ? fired.dueDate : run.now;
  const next = nextCycle(fired.repeat, base);
  if (next === null) return;
  const job: TimerJob = {
    ...fired,
    id: run.newId(),
    ...next,
    retries: initialJobRetries(run.model.nodes.get(fired.activityId)),
    exceptionMessage: null,
    created: run.now,
  };
  run.draft.jobs.add(job);
  run.emit({ type: 'timerScheduled', jobId: job.id, dueDate: job.dueDate });
}
