import type { EngineEffect } from '@libs/engine';

/** A timer job to fire at `dueDate` (the MySQL job row stays the truth; this only wakes a worker). */
export interface ScheduledTimer {
  readonly jobId: string;
  readonly dueDate: Date;
}

/**
 * Where timers are scheduled: a BullMQ delayed queue in production. Scheduling is idempotent per job id,
 * and losing a schedule (e.g. Redis restarted) is repaired by the reconciler from the job rows.
 */
export interface TimerScheduler {
  schedule(timers: readonly ScheduledTimer[]): Promise<void>;
  cancel(jobIds: readonly string[]): Promise<void>;
}

/** Acts on the timer effects of committed operations. */
export async function applyTimerEffects(
  scheduler: TimerScheduler,
  effects: readonly EngineEffect[],
): Promise<void> {
  const scheduled: ScheduledTimer[] = [];
  const cancelled: string[] = [];
  for (const effect of effects) {
    if (effect.type === 'timerScheduled' || effect.type === 'timerResumed')
      scheduled.push({ jobId: effect.jobId, dueDate: effect.dueDate });
    if (effect.type === 'timerCancelled') cancelled.push(effect.jobId);
  }
  if (cancelled.length > 0) await scheduler.cancel(cancelled);
  if (scheduled.length > 0) await scheduler.schedule(scheduled);
}

/**
 * A scheduler whose failures never fail the committed change that asked for it: the job rows are the
 * truth, and the reconciler schedules every row that comes due (a delayed entry left behind by a failed
 * cancel finds no row and ends). `deferred` hears of each failure, to say so in the log.
 */
export function bestEffortScheduler(
  scheduler: TimerScheduler,
  deferred: (error: unknown, jobIds: readonly string[]) => void,
): TimerScheduler {
  return {
    schedule: (timers) =>
      scheduler.schedule(timers).catch((error: unknown) =>
        deferred(
          error,
          timers.map((timer) => timer.jobId),
        ),
      ),
    cancel: (jobIds) => scheduler.cancel(jobIds).catch((error: unknown) => deferred(error, jobIds)),
  };
}
