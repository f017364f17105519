/**
 * Job definitions of a process definition, as Camunda derives them from the model at deployment: one
 * per asynchronous continuation (`async-continuation`, configured `async-before` / `async-after`) and
 * one per timer event (`timer-intermediate-transition` for an intermediate catch event,
 * `timer-transition` for a boundary event, configured `<DATE|DURATION|CYCLE>: <expression text>`). Ids
 * are stable for the definition, activity and kind, so every job of a definition names its definition
 * without a lookup. Also the priority a new job gets from `camunda:jobPriority`.
 */
import type { FlowNode, ProcessModel, TimerDefinition } from '@libs/bpmn';
import { ProcessEngineException } from '../errors';
import type { AsyncDirection } from '../state/instance-state';
import type { EngineRun } from './engine-run';
import { evaluateText } from './expressions';

/** Camunda's job types (job handler types) of process-definition jobs. */
export type ProcessJobType =
  | 'async-continuation'
  | 'timer-intermediate-transition'
  | 'timer-transition'
  | 'timer-start-event'
  | 'timer-start-event-subprocess';

/** A job definition as the model declares it (suspension and priority overrides live in storage). */
export interface JobDeclaration {
  readonly id: string;
  readonly activityId: string;
  readonly jobType: ProcessJobType;
  readonly jobConfiguration: string;
}

/** Camunda's default job priority (`DefaultPriorityProvider.DEFAULT_PRIORITY`). */
export const DEFAULT_JOB_PRIORITY = 0;

/** A 128-bit FNV-1a digest of `text` in hex: stable ids without a lookup. */
function digest(text: string): string {
  let hex = '';
  for (const seed of [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b]) {
    let hash = seed;
    for (let index = 0; index < text.length; index++) {
      hash ^= text.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    hex += hash.toString(16).padStart(8, '0');
  }
  return hex;
}

/**
 * The job definition id of an activity's async-before or async-after continuation: stable for the
 * definition, activity and direction, so jobs of one definition are grouped as Camunda's job
 * definitions group them (`jobDefinitionId` filters, incidents).
 */
export function asyncJobDefinitionId(
  definitionId: string,
  activityId: string,
  direction: AsyncDirection,
): string {
  return digest(`${definitionId}\u0000${activityId}\u0000async-${direction}`);
}

/** The job definition id of a timer event's timers (stable, as {@link asyncJobDefinitionId}). */
export function timerJobDefinitionId(definitionId: string, timerEventId: string): string {
  return digest(`${definitionId}\u0000${timerEventId}\u0000timer`);
}

/** Camunda's configuration of a timer job definition: the timer's kind and its text as written. */
export function timerJobConfiguration(timer: TimerDefinition): string {
  return `${timer.kind.toUpperCase()}: ${timer.value}`;
}

/** The job definitions `model` declares when deployed as `definitionId`, in document order. */
export function jobDefinitionsOf(model: ProcessModel, definitionId: string): JobDeclaration[] {
  const declarations: JobDeclaration[] = [];
  for (const node of model.nodes.values()) {
    for (const direction of ['before', 'after'] as const) {
      if (direction === 'before' ? node.asyncBefore : node.asyncAfter) {
        declarations.push({
          id: asyncJobDefinitionId(definitionId, node.id, direction),
          activityId: node.id,
          jobType: 'async-continuation',
          jobConfiguration: `async-${direction}`,
        });
      }
    }
    const timer = timerOf(node);
    if (timer) {
      declarations.push({
        id: timerJobDefinitionId(definitionId, node.id),
        activityId: node.id,
        jobType: timerJobTypeOf(model, node),
        jobConfiguration: timerJobConfiguration(timer),
      });
    }
  }
  return declarations;
}

function timerOf(node: FlowNode): TimerDefinition | undefined {
  if (node.kind === 'startEvent') return node.trigger?.type === 'timer' ? node.trigger.timer : undefined;
  if (node.kind !== 'boundaryEvent' && node.kind !== 'intermediateCatchEvent') return undefined;
  return node.trigger.type === 'timer' ? node.trigger.timer : undefined;
}

/** Camunda's job handler type of a timer event's jobs. */
function timerJobTypeOf(model: ProcessModel, node: FlowNode): ProcessJobType {
  if (node.kind === 'boundaryEvent') return 'timer-transition';
  if (node.kind === 'startEvent') {
    const scope = model.nodes.get(node.scopeId);
    return scope?.kind === 'subProcess' && scope.triggeredByEvent
      ? 'timer-start-event-subprocess'
      : 'timer-start-event';
  }
  return 'timer-intermediate-transition';
}

/**
 * The priority of a new job of `activityId` (Camunda's DefaultJobPriorityProvider without the job
 * definition's override, which storage applies): the element's `camunda:jobPriority`, else the
 * process's, else 0; expressions are evaluated from `scopeInstanceId`.
 * @throws ProcessEngineException when the value is not an integer.
 */
export function jobPriorityOf(run: EngineRun, activityId: string, scopeInstanceId: string): number {
  const source = run.model.nodes.get(activityId)?.jobPriority ?? run.model.jobPriority;
  if (source === null) return DEFAULT_JOB_PRIORITY;
  const value = evaluateText(run, source, scopeInstanceId);
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new ProcessEngineException(
      `Job ${activityId} instantiated in context of ${scopeInstanceId}: Priority value is not an Integer`,
    );
  }
  return number;
}
