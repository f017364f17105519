import type { ProcessModel } from '@libs/bpmn';
import type { AsyncJob, EngineEffect, ProcessInstanceState, TimerJob } from '@libs/engine';

/** Camunda's job states of a historic job log entry (`HistoricJobLog`: created, failed, successful, deleted). */
export const JOB_LOG_STATE = { created: 0, failed: 1, successful: 2, deleted: 3 } as const;
export type JobLogState = keyof typeof JOB_LOG_STATE;

/** `hi_job_log` columns, in the order of every row `jobLogRows` and `failureLogRow` produce. */
export const JOB_LOG_COLUMNS = [
  'id',
  'timestamp',
  'job_id',
  'job_due_date',
  'job_retries',
  'job_priority',
  'job_exception_message',
  'job_exception_stack_trace',
  'failed_activity_id',
  'job_definition_id',
  'job_definition_type',
  'job_definition_configuration',
  'activity_id',
  'execution_id',
  'process_instance_id',
  'process_definition_id',
  'process_definition_key',
  'tenant_id',
  'hostname',
  'sequence_counter',
  'state',
] as const;

/** A job's job definition in Camunda's words: its type and configuration. */
export interface JobDefinitionDescription {
  readonly type: string;
  readonly configuration: string | null;
}

/** The instance a job belongs to, as its log entries name it. */
export interface JobOwner {
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly tenantId: string | null;
}

/** A job as one log entry describes it. */
export interface LoggedJob {
  readonly id: string;
  readonly dueDate: Date | null;
  readonly retries: number;
  readonly priority: number;
  readonly activityId: string | null;
  readonly executionId: string | null;
  readonly jobDefinitionId: string | null;
  readonly definition: JobDefinitionDescription;
  /** The job failed before: its entries name the failed activity, as Camunda's do. */
  readonly failedBefore: boolean;
}

/** What every entry written by one process needs besides the job. */
export interface JobLogContext {
  readonly now: Date;
  readonly hostname: string;
  readonly newId: () => string;
  /** Orders entries written in the same millisecond. */
  readonly nextSequence: (time: Date) => number;
}

/** One operation's change of an instance, with what its job log needs. */
export interface JobLogChange {
  readonly model: ProcessModel;
  readonly before: ProcessInstanceState | null;
  readonly after: ProcessInstanceState;
  readonly effects: readonly EngineEffect[];
}

/**
 * The job definition of an asynchronous continuation (`async-continuation`, `async-before|after`) or a
 * timer: Camunda's handler types `timer-intermediate-transition` (intermediate catch event),
 * `timer-transition` (boundary event) and `timer-start-event-subprocess` (event sub-process start), configured by `<KIND>: <timer text>` (e.g. `DURATION: PT5M`).
 */
export function jobDefinitionOf(
  model: ProcessModel,
  job: Pick<AsyncJob, 'type' | 'direction'> | Pick<TimerJob, 'type' | 'activityId'>,
): JobDefinitionDescription {
  if (job.type === 'message') return { type: 'async-continuation', configuration: `async-${job.direction}` };
  const node = model.nodes.get(job.activityId);
  const trigger = node && 'trigger' in node ? node.trigger : null;
  const scope = node === undefined ? undefined : model.nodes.get(node.scopeId);
  const startsEventSubProcess =
    node?.kind === 'startEvent' && scope?.kind === 'subProcess' && scope.triggeredByEvent;
  return {
    type:
      node?.kind === 'boundaryEvent'
        ? 'timer-transition'
        : startsEventSubProcess
          ? 'timer-start-event-subprocess'
          : 'timer-intermediate-transition',
    configuration:
      trigger?.type === 'timer' ? `${trigger.timer.kind.toUpperCase()}: ${trigger.timer.value}` : null,
  };
}

/** The job of an instance's state as its log entries describe it. */
function loggedJob(model: ProcessModel, job: AsyncJob | TimerJob): LoggedJob {
  return {
    id: job.id,
    dueDate: job.dueDate,
    retries: job.retries,
    priority: job.priority,
    activityId: job.activityId,
    executionId: job.executionId,
    jobDefinitionId: job.jobDefinitionId,
    definition: jobDefinitionOf(model, job),
    failedBefore: job.exceptionMessage !== null,
  };
}

/** One `hi_job_log` row (in {@link JOB_LOG_COLUMNS} order). */
export function jobLogRow(
  state: JobLogState,
  job: LoggedJob,
  owner: JobOwner,
  context: JobLogContext,
  failure?: { readonly message: string; readonly stackTrace: string },
): unknown[] {
  return [
    context.newId(),
    context.now,
    job.id,
    job.dueDate,
    job.retries,
    job.priority,
    failure?.message ?? null,
    failure?.stackTrace ?? null,
    failure !== undefined || job.failedBefore ? job.activityId : null,
    job.jobDefinitionId,
    job.definition.type,
    job.definition.configuration,
    job.activityId,
    job.executionId,
    owner.processInstanceId,
    owner.processDefinitionId,
    owner.processDefinitionKey,
    owner.tenantId,
    context.hostname,
    context.nextSequence(context.now),
    JOB_LOG_STATE[state],
  ];
}

/**
 * Camunda's job log rules as a pure function: which entries the changes of instances write. A job the
 * change adds is `created`; a job it removes is `successful` when the operation ran it (its
 * `jobExecuted` effect), else `deleted` (its scope or instance was cancelled or deleted); an executed job
 * that stays (a repeating timer) is `successful` too. Failures are logged where they are recorded.
 */
export function jobLogRows(changes: readonly JobLogChange[], context: JobLogContext): unknown[][] {
  const rows: unknown[][] = [];
  for (const { model, before, after, effects } of changes) {
    const executed = new Set<string>();
    for (const effect of effects) if (effect.type === 'jobExecuted') executed.add(effect.jobId);
    const owner: JobOwner = {
      processInstanceId: after.id,
      processDefinitionId: after.definitionId,
      processDefinitionKey: after.definitionKey,
      tenantId: after.tenantId,
    };
    const previous = new Map(jobsOf(before).map((job) => [job.id, job]));
    for (const job of jobsOf(after.state === 'ACTIVE' ? after : null)) {
      const old = previous.get(job.id);
      previous.delete(job.id);
      if (old === undefined) rows.push(jobLogRow('created', loggedJob(model, job), owner, context));
      else if (executed.has(job.id))
        rows.push(jobLogRow('successful', loggedJob(model, old), owner, context));
    }
    for (const job of previous.values()) {
      const state = executed.has(job.id) ? 'successful' : 'deleted';
      rows.push(jobLogRow(state, loggedJob(model, job), owner, context));
    }
  }
  return rows;
}

function jobsOf(state: ProcessInstanceState | null): Array<AsyncJob | TimerJob> {
  return state === null ? [] : [...state.asyncJobs, ...state.jobs];
}
