/**
 * Boundary events. Their triggers (message/signal subscriptions, timer jobs) are created when the host
 * activity (task or sub-process) is entered and are owned by the HOST activity instance, so they
 * disappear with the host however it ends. When one fires:
 * - interrupting: the host and everything inside it is cancelled, then a token leaves the boundary
 *   event in the host's parent scope instance;
 * - non-interrupting: the host stays; a timer job is consumed and a cycle with repetitions left is
 *   scheduled again, a message or signal subscription stays for the next event; a token leaves the
 *   boundary event.
 */
import { isWaitTrigger, type BoundaryEvent } from '@libs/bpmn';
import { requireParent } from './activity-lifecycle';
import type { EngineRun } from './engine-run';
import type { ActivityInstance, TimerJob } from '../state/instance-state';
import { rescheduleCycle } from './timer-cycles';
import type { TokenRunner } from './token-runner';
import { createEventTrigger } from './wait-states';

/** Creates the triggers of every boundary event attached to the activity of `host`. */
export function createBoundaryTriggers(run: EngineRun, host: ActivityInstance): void {
  for (const eventId of run.model.boundaryEventsOf.get(host.activityId) ?? []) {
    const event = run.model.nodes.get(eventId);
    if (event?.kind === 'boundaryEvent' && isWaitTrigger(event.trigger)) {
      createEventTrigger(run, host, eventId, event.trigger);
    }
  }
}

/** What fired the boundary event: a timer job (consumed) or a subscription. */
export type BoundaryTrigger =
  { readonly kind: 'job'; readonly job: TimerJob } | { readonly kind: 'subscription' };

/**
 * Fires `event` attached to the live instance `host`, scheduling the token that leaves the event.
 * The caller runs the runner to wait states afterwards.
 */
export function fireBoundaryEvent(
  runner: TokenRunner,
  host: ActivityInstance,
  event: BoundaryEvent,
  trigger: BoundaryTrigger,
): void {
  const scopeInstanceId = requireParent(host);
  // The fired job is consumed before any cancellation, so it is not reported as cancelled.
  if (trigger.kind === 'job') runner.run.draft.jobs.remove(trigger.job.id);
  if (event.interrupting) runner.cancel(host, 'canceled');
  else if (trigger.kind === 'job') rescheduleCycle(runner.run, trigger.job);
  runner.enterNode(scopeInstanceId, event.id);
}
