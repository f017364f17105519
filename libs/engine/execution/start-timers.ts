/**
 * The timer of a timer start event: one job per definition version, owned by the definition rather
 * than by an instance (Camunda's `timer-start-event` job, configured with the definition key).
 */
import { processStartEvents, type ProcessModel } from '@libs/bpmn';
import { ProcessEngineException } from '../errors';
import { initialJobRetries } from './async-continuations';
import { timerJobDefinitionId } from './job-definitions';
import { firstDueDate, nextCycle } from './timers';

/** A timer start event's job, before it is stored. */
export interface StartTimerJob {
  readonly id: string;
  readonly definitionId: string;
  /** The timer start event. */
  readonly activityId: string;
  readonly dueDate: Date;
  /** The cycle still to run (`R2/PT10M`), `null` for a date or duration. */
  readonly repeat: string | null;
  readonly jobDefinitionId: string;
  readonly retries: number;
  readonly priority: number;
}

/**
 * The job of the timer start event of `model` deployed as `definitionId`, due from `now`; `null` when it
 * has none. Expressions are not evaluated: there is no instance to evaluate them in.
 * @throws ProcessEngineException when the timer's text cannot be read.
 */
export function startTimerJob(
  model: ProcessModel,
  definitionId: string,
  now: Date,
  newId: () => string,
): StartTimerJob | null {
  const event = processStartEvents(model).find((start) => start.trigger?.type === 'timer');
  if (event?.trigger?.type !== 'timer') return null;
  const { timer } = event.trigger;
  if (/[$#]\{/.test(timer.value)) {
    throw new ProcessEngineException(
      `The timer of start event '${event.id}' is an expression ('${timer.value}'); a timer start event needs a literal ISO 8601 value here`,
    );
  }
  const priorityText = event.jobPriority ?? model.jobPriority;
  const priority = priorityText === null || /[$#]\{/.test(priorityText) ? 0 : Number(priorityText);
  return {
    id: newId(),
    definitionId,
    activityId: event.id,
    dueDate: firstDueDate(timer.kind, timer.value, now, event.id),
    repeat: timer.kind === 'cycle' ? timer.value.trim() : null,
    jobDefinitionId: timerJobDefinitionId(definitionId, event.id),
    retries: initialJobRetries(event),
    priority,
  };
}

/** The job that follows a fired cycle's job (a new id, as Camunda creates a new timer), or `null`. */
export function followingStartTimer(
  fired: StartTimerJob,
  newId: () => string,
  retries: number,
): StartTimerJob | null {
  if (fired.repeat === null) return null;
  const next = nextCycle(fired.repeat, fired.dueDate);
  return next === null ? null : { ...fired, id: newId(), ...next, retries };
}
