/**
 * The one path by which a stored event trigger fires, whatever delivered it (a message, a signal, a
 * timer job): the waiting subscription or job is consumed and its event continues. Where the event
 * sits decides what that means:
 * - a boundary event: fires on its host (interrupting or not);
 * - an intermediate catch event after an event-based gateway: the gateway's instance (which owns the
 *   triggers of all its events) ends with every other trigger, and the event passes on;
 * - anything else waiting (intermediate catch event, receive task): leaves along its outgoing flows;
 * - an event sub-process's start event: the event sub-process starts in the trigger's scope instance.
 * Work is only scheduled here; the caller runs the runner to its wait states.
 */
import type { FlowNode } from '@libs/bpmn';
import { ProcessEngineException } from '../errors';
import { removeActivityInstance, requireParent } from './activity-lifecycle';
import { fireBoundaryEvent } from './boundary-events';
import { eventSubProcessStartedBy, triggerEventSubProcess } from './event-sub-processes';
import { flowsLeavingActivity } from './flow-selection';
import type { TokenRunner } from './token-runner';
import type { ActivityInstance, EventSubscription, TimerJob } from '../state/instance-state';

/** A stored trigger: a message or signal subscription, or a timer job. */
export type FiredRecord =
  | { readonly kind: 'subscription'; readonly record: EventSubscription }
  | { readonly kind: 'job'; readonly record: TimerJob };

/**
 * Fires `fired`, owned by `owner`, for its event `fired.record.activityId`. The record is consumed
 * (a boundary event's decides itself: a non-interrupting message or signal boundary event keeps its
 * subscription).
 */
export function fireEventTrigger(runner: TokenRunner, owner: ActivityInstance, fired: FiredRecord): void {
  const { run } = runner;
  const event = run.node(fired.record.activityId);
  switch (event.kind) {
    case 'boundaryEvent': {
      const trigger =
        fired.kind === 'job'
          ? { kind: 'job' as const, job: fired.record }
          : { kind: 'subscription' as const };
      fireBoundaryEvent(runner, owner, event, trigger);
      return;
    }
    case 'startEvent': {
      // An event sub-process's start event: its trigger is owned by the enclosing scope instance; a
      // non-interrupting one keeps its subscription (or consumes and maybe reschedules its job), an
      // interrupting one removes it with the scope's other start triggers.
      const eventSubProcess = eventSubProcessStartedBy(run, event);
      if (eventSubProcess === undefined) {
        throw new ProcessEngineException(`The start event '${event.id}' starts no event sub-process`);
      }
      triggerEventSubProcess(
        runner,
        owner,
        eventSubProcess,
        fired.kind === 'job'
          ? { kind: 'job', job: fired.record }
          : { kind: 'subscription', subscriptionId: fired.record.id },
      );
      return;
    }
    default:
      consume(runner, fired);
      if (owner.activityType === 'eventBasedGateway') {
        passEventAfterGateway(runner, owner, event);
        return;
      }
      runner.leave(owner, flowsLeavingActivity(run, run.node(owner.activityId), owner.id));
  }
}

function consume(runner: TokenRunner, fired: FiredRecord): void {
  const { draft } = runner.run;
  if (fired.kind === 'job') draft.jobs.remove(fired.record.id);
  else draft.subscriptions.remove(fired.record.id);
}

/**
 * The first event of an event-based gateway fired: the gateway's instance ends (taking the other
 * events' subscriptions and timers with it) and the event runs in the gateway's scope, passing on at
 * once (Camunda: the gateway's scope execution is left through the event).
 */
function passEventAfterGateway(runner: TokenRunner, gateway: ActivityInstance, event: FlowNode): void {
  const scopeInstanceId = requireParent(gateway);
  removeActivityInstance(runner.run, gateway, 'completed');
  runner.enterTriggered(scopeInstanceId, event.id);
}
