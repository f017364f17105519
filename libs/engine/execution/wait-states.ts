/**
 * What a waiting activity leaves in the state so that the outside world can continue it: a user task,
 * an external task, a message/signal subscription or a timer job. Attribute values may be `${…}`
 * expressions; they are evaluated from the waiting instance.
 */
import type { ExternalWork, UserTask, WaitTrigger } from '@libs/bpmn';
import { assertNever } from '@libs/bpmn';
import type { EngineRun } from './engine-run';
import { ProcessEngineException } from '../errors';
import { evaluateText } from './expressions';
import { jobPriorityOf, timerJobDefinitionId } from './job-definitions';
import type { ActivityInstance, EventSubscription, Task, TimerJob } from '../state/instance-state';
import { addDuration, firstDueDate, parseDateTime, parseDuration } from './timers';
import { initialJobRetries } from './async-continuations';

const DEFAULT_TASK_PRIORITY = 50;
const DEFAULT_EXTERNAL_TASK_PRIORITY = 0;

/** Creates the task of a user-task instance. */
export function createUserTask(run: EngineRun, instance: ActivityInstance, node: UserTask): Task {
  const text = (source: string | null) => (source === null ? null : evaluateText(run, source, instance.id));
  const task: Task = {
    id: run.newId(),
    activityInstanceId: instance.id,
    executionId: instance.executionId,
    taskDefinitionKey: node.id,
    name: node.name,
    assignee: optionalString(text(node.assignee)),
    owner: null,
    candidateGroups: node.candidateGroups.flatMap((entry) => identities(text(entry))),
    candidateUsers: node.candidateUsers.flatMap((entry) => identities(text(entry))),
    due: dateOf(text(node.dueDate), run.now, node.id, 'due date'),
    followUp: dateOf(text(node.followUpDate), run.now, node.id, 'follow-up date'),
    priority: priorityOf(text(node.priority), DEFAULT_TASK_PRIORITY, node.id),
    created: run.now,
  };
  run.draft.tasks.add(task);
  run.emit({ type: 'taskCreated', taskId: task.id, activityInstanceId: instance.id, time: run.now });
  return task;
}

/**
 * Creates the external task of an instance of `activityId`: an external service/send/business-rule task,
 * or a service-task-like message throw or end event.
 */
export function createExternalTask(
  run: EngineRun,
  instance: ActivityInstance,
  activityId: string,
  work: ExternalWork,
): void {
  const topicName = optionalString(evaluateText(run, work.topic, instance.id)) ?? work.topic;
  // An external task's own priority, else the process's default (`camunda:taskPriority` on the process).
  const source = work.priority ?? run.model.taskPriority;
  const priority = source === null ? null : evaluateText(run, source, instance.id);
  const id = run.newId();
  run.draft.externalTasks.add({
    id,
    activityInstanceId: instance.id,
    executionId: instance.executionId,
    activityId,
    topicName,
    priority: priorityOf(priority, DEFAULT_EXTERNAL_TASK_PRIORITY, activityId),
    workerId: null,
    lockExpirationTime: null,
    retries: null,
    errorMessage: null,
    created: run.now,
  });
  run.emit({ type: 'externalTaskCreated', externalTaskId: id, topicName, time: run.now });
}

/**
 * Creates the subscription or timer job through which `eventId` (an intermediate catch event, a
 * receive task or a boundary event) is triggered (a conditional event: a subscription without name), owned by `owner` (the waiting instance, or the host
 * of a boundary event). Values are evaluated from `owner`, timers from now. `recordId` re-creates a
 * trigger under an existing id (migration with `updateEventTrigger`); default a fresh id.
 */
export function createEventTrigger(
  run: EngineRun,
  owner: ActivityInstance,
  eventId: string,
  trigger: WaitTrigger,
  recordId?: string,
): void {
  switch (trigger.type) {
    case 'conditional':
      addSubscription(run, owner, eventId, 'conditional', null, recordId);
      return;
    case 'message':
      subscribe(run, owner, eventId, 'message', trigger.messageName, recordId);
      return;
    case 'signal':
      subscribe(run, owner, eventId, 'signal', trigger.signalName, recordId);
      return;
    case 'timer': {
      const value = evaluateText(run, trigger.timer.value, owner.id);
      const dueDate = firstDueDate(trigger.timer.kind, value, run.now, eventId);
      const repeat = trigger.timer.kind === 'cycle' ? String(value).trim() : null;
      scheduleTimer(run, owner, eventId, dueDate, repeat, recordId);
      return;
    }
    default:
      assertNever(trigger);
  }
}

/** Creates a message or signal subscription; the event name may be an expression. */
export function subscribe(
  run: EngineRun,
  owner: ActivityInstance,
  activityId: string,
  type: EventSubscription['type'],
  eventNameSource: string,
  recordId?: string,
): void {
  const eventName = optionalString(evaluateText(run, eventNameSource, owner.id)) ?? eventNameSource;
  addSubscription(run, owner, activityId, type, eventName, recordId);
}

function addSubscription(
  run: EngineRun,
  owner: ActivityInstance,
  activityId: string,
  type: EventSubscription['type'],
  eventName: string | null,
  recordId: string | undefined,
): void {
  run.draft.subscriptions.add({
    id: recordId ?? run.newId(),
    type,
    eventName,
    activityId,
    activityInstanceId: owner.id,
    executionId: owner.executionId,
    created: run.now,
  });
}

function scheduleTimer(
  run: EngineRun,
  owner: ActivityInstance,
  activityId: string,
  dueDate: Date,
  repeat: string | null,
  recordId?: string,
): void {
  const job: TimerJob = {
    id: recordId ?? run.newId(),
    type: 'timer',
    activityId,
    activityInstanceId: owner.id,
    executionId: owner.executionId,
    dueDate,
    repeat,
    jobDefinitionId: timerJobDefinitionId(run.draft.header.definitionId, activityId),
    retries: initialJobRetries(run.model.nodes.get(activityId)),
    priority: jobPriorityOf(run, activityId, owner.id),
    suspended: run.draft.header.suspended,
    exceptionMessage: null,
    created: run.now,
  };
  run.draft.jobs.add(job);
  run.emit({ type: 'timerScheduled', jobId: job.id, dueDate });
}

function optionalString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** A candidate entry: a collection of ids, or a comma-separated list. */
function identities(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((entry) => identities(entry));
  const text = optionalString(value);
  if (text === null) return [];
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** `camunda:dueDate`: a Date, an ISO-8601 date-time, or a duration from now (`P2D`). */
/** A task date (due or follow-up): a date, an ISO 8601 date-time or a duration from now, or null. */
function dateOf(value: unknown, now: Date, elementId: string, what: string): Date | null {
  if (value instanceof Date) return new Date(value.getTime());
  const text = optionalString(value);
  if (text === null) return null;
  const duration = parseDuration(text);
  const due = duration === null ? parseDateTime(text) : addDuration(now, duration);
  if (due === null) {
    throw new ProcessEngineException(`Cannot parse the ${what} '${text}' of user task '${elementId}'`);
  }
  return due;
}

function priorityOf(value: unknown, fallback: number, elementId: string): number {
  if (value === null || value === undefined || value === '') return fallback;
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isSafeInteger(number)) {
    throw new ProcessEngineException(
      `The priority of '${elementId}' must be an integer, but was '${String(value)}'`,
    );
  }
  return number;
}
