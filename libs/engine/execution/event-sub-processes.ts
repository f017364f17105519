/**
 * Event sub-processes (`triggeredByEvent`, reference constructs §3). While an instance of a scope (the
 * process, an embedded sub-process, an event sub-process) is active, the start events of the event
 * sub-processes it contains wait: their message/signal subscriptions and timer jobs are owned by the
 * SCOPE instance and disappear with it however it ends. Error and escalation start events wait on
 * nothing: a thrown error or escalation finds them (see `bpmn-events.ts`). When one is triggered:
 * - interrupting: every other child of the scope instance (activity and transition instances) is
 *   cancelled, and so are the scope's other event sub-process triggers; then the event sub-process runs;
 * - non-interrupting: the event sub-process runs alongside; a message or signal subscription stays for
 *   the next event, a timer cycle with repetitions left is scheduled again (`R3/PT10M`: three firings).
 * The event sub-process instance is a scope (activity type `subProcess`) whose start event passes
 * through; when it completes, its scope instance completes once nothing else is left in it (for an
 * interrupting one: at once).
 */
import { isWaitTrigger, type FlowNode, type StartEvent, type SubProcess } from '@libs/bpmn';
import { createActivityInstance } from './activity-lifecycle';
import type { EngineRun } from './engine-run';
import { runInputMappings } from './io-mappings';
import type { ActivityInstance, TimerJob } from '../state/instance-state';
import { rescheduleCycle } from './timer-cycles';
import type { TokenRunner } from './token-runner';
import { createEventTrigger } from './wait-states';

/** The model scope an instance is an instance of: the process id for the root. */
export function modelScopeOf(run: EngineRun, scopeInstance: ActivityInstance): string {
  return scopeInstance.parentId === null ? run.model.id : scopeInstance.activityId;
}

/** The event sub-processes directly inside the model scope of `scopeInstance`, in document order. */
export function eventSubProcessesIn(run: EngineRun, scopeInstance: ActivityInstance): SubProcess[] {
  return (run.model.eventSubProcessesOf.get(modelScopeOf(run, scopeInstance)) ?? []).flatMap((id) => {
    const node = run.model.nodes.get(id);
    return node?.kind === 'subProcess' ? [node] : [];
  });
}

/** The start event of an event sub-process. */
export function startEventOf(run: EngineRun, eventSubProcess: SubProcess): StartEvent {
  const start = run.node(eventSubProcess.startEventId);
  if (start.kind !== 'startEvent') throw new Error(`'${start.id}' is not a start event`);
  return start;
}

/** The event sub-process `node` starts, when it is an event sub-process's start event. */
export function eventSubProcessStartedBy(run: EngineRun, node: FlowNode): SubProcess | undefined {
  if (node.kind !== 'startEvent' || node.trigger === null) return undefined;
  const scope = run.model.nodes.get(node.scopeId);
  return scope?.kind === 'subProcess' && scope.triggeredByEvent ? scope : undefined;
}

/**
 * Creates the subscriptions and timer jobs of the event sub-process start events of the scope of
 * `scopeInstance` (the root, or a fresh sub-process instance), owned by it.
 */
export function createEventSubProcessTriggers(run: EngineRun, scopeInstance: ActivityInstance): void {
  for (const eventSubProcess of eventSubProcessesIn(run, scopeInstance)) {
    const start = startEventOf(run, eventSubProcess);
    if (start.trigger !== null && isWaitTrigger(start.trigger)) {
      createEventTrigger(run, scopeInstance, start.id, start.trigger);
    }
  }
}

/** What triggered an event sub-process's start event. */
export type EventSubProcessTrigger =
  | { readonly kind: 'subscription'; readonly subscriptionId: string }
  | { readonly kind: 'job'; readonly job: TimerJob }
  /** A thrown error or escalation, or modification (nothing stored to consume). */
  | { readonly kind: 'none' };

/**
 * Starts `eventSubProcess` inside the live `scopeInstance` because its start event was triggered, and
 * schedules its start event; the caller runs the runner. Returns the event sub-process instance.
 */
export function triggerEventSubProcess(
  runner: TokenRunner,
  scopeInstance: ActivityInstance,
  eventSubProcess: SubProcess,
  trigger: EventSubProcessTrigger,
): ActivityInstance {
  const { run } = runner;
  const { draft } = run;
  const start = startEventOf(run, eventSubProcess);
  // The fired job is consumed before any cancellation, so it is not reported as cancelled.
  if (trigger.kind === 'job') draft.jobs.remove(trigger.job.id);
  if (start.interrupting) {
    interruptScope(runner, scopeInstance);
  } else if (trigger.kind === 'job') {
    rescheduleCycle(run, trigger.job);
  }
  return enterEventSubProcess(runner, scopeInstance, eventSubProcess);
}

/**
 * Creates an instance of `eventSubProcess` in `scopeInstance` (input mappings, its own event
 * sub-process triggers) and schedules entering its start event.
 */
export function enterEventSubProcess(
  runner: TokenRunner,
  scopeInstance: ActivityInstance,
  eventSubProcess: SubProcess,
): ActivityInstance {
  const { run } = runner;
  const instance = createActivityInstance(run, scopeInstance.id, eventSubProcess);
  runInputMappings(run, instance);
  createEventSubProcessTriggers(run, instance);
  runner.enterNode(instance.id, eventSubProcess.startEventId);
  return instance;
}

/**
 * What an interrupting event sub-process does to its scope instance before it starts: the scope's
 * other event sub-process triggers go, and every activity and transition instance in it is
 * cancelled (with output mappings unless `skipIoMappings`).
 */
export function interruptScope(
  runner: TokenRunner,
  scopeInstance: ActivityInstance,
  skipIoMappings = false,
): void {
  const { draft } = runner.run;
  removeEventSubProcessTriggers(runner.run, scopeInstance);
  for (const job of draft.asyncJobs.ownedBy(scopeInstance.id)) runner.cancelParked(job);
  for (const child of draft.childrenOf(scopeInstance.id)) runner.cancel(child, 'canceled', skipIoMappings);
}

/** Removes the event sub-process start triggers `scopeInstance` owns (an interrupting one started). */
function removeEventSubProcessTriggers(run: EngineRun, scopeInstance: ActivityInstance): void {
  const starts = new Set(eventSubProcessesIn(run, scopeInstance).map((esp) => esp.startEventId));
  const { draft } = run;
  for (const subscription of draft.subscriptions.ownedBy(scopeInstance.id)) {
    if (starts.has(subscription.activityId)) draft.subscriptions.remove(subscription.id);
  }
  for (const job of draft.jobs.ownedBy(scopeInstance.id)) {
    if (!starts.has(job.activityId)) continue;
    draft.jobs.remove(job.id);
    run.emit({ type: 'timerCancelled', jobId: job.id });
  }
}
