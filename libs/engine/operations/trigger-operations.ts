/**
 * Operations that continue a waiting instance from outside: complete a user task or external task,
 * correlate a message, deliver a signal, fire a timer. Each is a pure function
 * `(model, state, command, ctx) → { state, effects }` that runs tokens to their next wait states.
 *
 * Variables given with a trigger are set before the instance moves on: `variables` with propagation
 * from the waiting activity (nearest scope that has the variable, else the process instance),
 * `localVariables` on the scope instance the waiting activity runs in.
 */
import type { ProcessModel } from '@libs/bpmn';
import { fireEventTrigger } from '../execution/event-triggers';
import type { EngineResult } from '../state/engine-effects';
import { MismatchingMessageCorrelationException, NotFoundException } from '../errors';
import { flowsLeavingActivity } from '../execution/flow-selection';
import type {
  ActivityInstance,
  EngineContext,
  EventSubscription,
  ProcessInstanceState,
} from '../state/instance-state';
import { InstanceSession } from '../state/instance-session';
import type { VariableMap } from '../state/typed-value';
import { applyVariables } from '../state/variables';

/** Variables that come with a trigger. */
export interface TriggerVariables {
  readonly variables?: VariableMap;
  readonly localVariables?: VariableMap;
}

export interface CompleteTaskCommand extends TriggerVariables {
  readonly taskId: string;
}

/**
 * Completes a user task: removes it and leaves the user-task activity along its outgoing flows.
 * @throws NotFoundException when the task does not exist; SuspendedEntityInteractionException when
 * the instance is suspended.
 */
export function completeTask(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: CompleteTaskCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const task = session.draft.tasks.get(command.taskId);
  if (task === undefined) {
    throw new NotFoundException(`Cannot find task with id ${command.taskId}: task is null`);
  }
  session.requireNotSuspended('Task', task.id);
  const instance = session.requireInstance(task.activityInstanceId);
  setTriggerVariables(session, instance, command);
  session.draft.tasks.remove(task.id);
  session.run.emit({ type: 'taskEnded', taskId: task.id, reason: 'completed', time: ctx.now });
  continueWaiting(session, instance);
  return session.finish();
}

export interface CompleteExternalTaskCommand extends TriggerVariables {
  readonly externalTaskId: string;
}

/**
 * Completes an external task and leaves its activity along the outgoing flows. Locks are not checked
 * here (the caller owns fetch-and-lock).
 * @throws NotFoundException when the external task does not exist; SuspendedEntityInteractionException.
 */
export function completeExternalTask(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: CompleteExternalTaskCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const task = session.draft.externalTasks.get(command.externalTaskId);
  if (task === undefined) {
    throw new NotFoundException(
      `Cannot find external task with id ${command.externalTaskId}: externalTask is null`,
    );
  }
  session.requireNotSuspended('ExternalTask', task.id);
  const instance = session.requireInstance(task.activityInstanceId);
  setTriggerVariables(session, instance, command);
  session.draft.externalTasks.remove(task.id);
  session.run.emit({
    type: 'externalTaskEnded',
    externalTaskId: task.id,
    reason: 'completed',
    time: ctx.now,
  });
  continueWaiting(session, instance);
  return session.finish();
}

/** Correlate to one subscription by id, or by message name (exactly one match unless `all`). */
export type CorrelateMessageCommand = TriggerVariables &
  ({ readonly subscriptionId: string } | { readonly messageName: string; readonly all?: boolean });

/**
 * Delivers a message to a receive task, message intermediate catch event, message boundary event or
 * the message start event of an event sub-process.
 * @throws NotFoundException for an unknown subscription id; MismatchingMessageCorrelationException when
 * a message name matches nothing (a suspended instance matches nothing, as in Camunda) or, without
 * `all`, more than one subscription; SuspendedEntityInteractionException for a subscription id of a
 * suspended instance.
 */
export function correlateMessage(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: CorrelateMessageCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  for (const subscription of messageTargets(session, command)) {
    if (session.draft.subscriptions.get(subscription.id) === undefined) continue;
    triggerSubscription(session, subscription, command);
  }
  return session.finish();
}

export interface CorrelateSignalCommand {
  readonly signalName: string;
  readonly variables?: VariableMap;
  /** Only the subscriptions of this execution (`POST /signal` with `executionId`). */
  readonly executionId?: string;
}

/**
 * Delivers a signal to every signal subscription of the instance with that name (those that exist
 * when the signal arrives). No subscription: nothing happens. Suspended instances do not receive signals.
 */
export function correlateSignal(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: CorrelateSignalCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  if (session.draft.header.suspended) return session.finish();
  const targets = [...session.draft.subscriptions.values()].filter(
    (subscription) =>
      subscription.type === 'signal' &&
      subscription.eventName === command.signalName &&
      (command.executionId === undefined || subscription.executionId === command.executionId),
  );
  for (const subscription of targets) {
    if (session.draft.subscriptions.get(subscription.id) === undefined) continue;
    triggerSubscription(session, subscription, { variables: command.variables });
  }
  return session.finish();
}

export interface FireTimerCommand {
  readonly jobId: string;
}

/**
 * Fires a timer job: continues the intermediate timer event, fires the boundary timer, or starts the
 * event sub-process whose timer start event it is.
 * @throws NotFoundException when the job does not exist; SuspendedEntityInteractionException.
 */
export function fireTimer(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: FireTimerCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const job = session.draft.jobs.get(command.jobId);
  if (job === undefined) throw new NotFoundException(`No job found with id '${command.jobId}'`);
  session.requireNotSuspended('Job', job.id);
  const owner = session.requireInstance(job.activityInstanceId);
  fireEventTrigger(session.runner, owner, { kind: 'job', record: job });
  session.runner.runToWaitStates();
  session.run.emit({ type: 'jobExecuted', jobId: job.id });
  return session.finish();
}

function messageTargets(session: InstanceSession, command: CorrelateMessageCommand): EventSubscription[] {
  if ('subscriptionId' in command) {
    const subscription = session.draft.subscriptions.get(command.subscriptionId);
    if (subscription?.type !== 'message') {
      throw new NotFoundException(`Cannot find message event subscription with id ${command.subscriptionId}`);
    }
    session.requireNotSuspended();
    return [subscription];
  }
  const name = command.messageName;
  const matches = session.draft.header.suspended
    ? []
    : [...session.draft.subscriptions.values()].filter((s) => s.type === 'message' && s.eventName === name);
  if (matches.length === 0) {
    throw new MismatchingMessageCorrelationException(
      `Cannot correlate message '${name}': No process definition or execution matches the parameters`,
    );
  }
  if (matches.length > 1 && command.all !== true) {
    throw new MismatchingMessageCorrelationException(
      `Cannot correlate a message with name '${name}' to a single execution. ${matches.length} executions match the correlation keys`,
    );
  }
  return matches;
}

function triggerSubscription(
  session: InstanceSession,
  subscription: EventSubscription,
  variables: TriggerVariables,
): void {
  const owner = session.requireInstance(subscription.activityInstanceId);
  setTriggerVariables(session, owner, variables);
  fireEventTrigger(session.runner, owner, { kind: 'subscription', record: subscription });
  session.runner.runToWaitStates();
}

/** Leaves a waiting activity along its outgoing flows and runs to the next wait states. */
function continueWaiting(session: InstanceSession, instance: ActivityInstance): void {
  const node = session.run.node(instance.activityId);
  session.runner.leave(instance, flowsLeavingActivity(session.run, node, instance.id));
  session.runner.runToWaitStates();
}

function setTriggerVariables(
  session: InstanceSession,
  waiting: ActivityInstance,
  given: TriggerVariables,
): void {
  if (given.variables !== undefined) applyVariables(session.run, waiting.id, given.variables, false);
  if (given.localVariables !== undefined) {
    applyVariables(session.run, waiting.parentId ?? waiting.id, given.localVariables, true);
  }
}
