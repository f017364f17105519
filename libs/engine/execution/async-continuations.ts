/**
 * Asynchronous continuations (`camunda:asyncBefore` / `camunda:asyncAfter`): where a token stops in a
 * transition instance and a job is created, and how that job's run continues the token. Camunda's
 * break points: asyncBefore before the activity instance is created (so history records the activity
 * only when the job runs); asyncAfter after the activity instance ended, before the chosen outgoing
 * flow is taken (one job per taken flow; none taken: one job that ends the token).
 */
import type { FlowNode } from '@libs/bpmn';
import type { EngineRun } from './engine-run';
import type { AsyncDirection, AsyncJob } from '../state/instance-state';
import type { VariableMap } from '../state/typed-value';
import { applyVariables } from '../state/variables';
import { asyncJobDefinitionId, jobPriorityOf } from './job-definitions';

/** Camunda's default number of retries of a job without `failedJobRetryTimeCycle`. */
export const DEFAULT_JOB_RETRIES = 3;

/** The retries a job of `node` starts with: its retry cycle's count, else Camunda's default. */
export function initialJobRetries(node: FlowNode | undefined): number {
  return node?.retryCycle?.retries ?? DEFAULT_JOB_RETRIES;
}

/**
 * Parks a token in a transition instance of `node` inside the scope instance `scopeInstanceId`: creates
 * the job (the caller creates no activity instance before an asyncBefore job runs) and tells the shell
 * to dispatch it. `localVariables` (a modification's local instruction variables) are set on the
 * transition instance's execution, as Camunda does; the activity instance gets them when the job runs
 * (see {@link takeParkedVariables}).
 */
export function parkToken(
  run: EngineRun,
  scopeInstanceId: string,
  node: FlowNode,
  direction: AsyncDirection,
  flowId: string | null,
  localVariables?: VariableMap,
): AsyncJob {
  const job: AsyncJob = {
    id: run.newId(),
    type: 'message',
    direction,
    activityId: node.id,
    activityInstanceId: scopeInstanceId,
    executionId: run.newId(),
    flowId,
    jobDefinitionId: asyncJobDefinitionId(run.draft.header.definitionId, node.id, direction),
    exclusive: node.exclusive,
    priority: jobPriorityOf(run, node.id, scopeInstanceId),
    // A suspended instance's new jobs are suspended; storage also applies the job definition's state.
    suspended: run.draft.header.suspended,
    retries: initialJobRetries(node),
    exceptionMessage: null,
    dueDate: null,
    created: run.now,
  };
  run.draft.asyncJobs.add(job);
  if (localVariables !== undefined) applyVariables(run, job.executionId, localVariables, true);
  run.emit({ type: 'asyncJobCreated', jobId: job.id });
  return job;
}

/**
 * The transition instance with the id (= execution id) `transitionInstanceId`, if its token still
 * waits.
 */
export function findParkedToken(run: EngineRun, transitionInstanceId: string): AsyncJob | undefined {
  for (const job of run.draft.asyncJobs.values()) {
    if (job.executionId === transitionInstanceId) return job;
  }
  return undefined;
}

/**
 * Removes one transition instance without running it: its job (the shell drops the row and the
 * queue entry) and the variables of its execution. No end listeners or output mappings run, as in
 * Camunda. Never completes or cancels the scope it waited in.
 */
export function removeParkedToken(run: EngineRun, job: AsyncJob): void {
  run.draft.asyncJobs.remove(job.id);
  run.draft.variables.removeOwnedBy(job.executionId);
  run.emit({ type: 'asyncJobDeleted', jobId: job.id });
}

/** Removes the continuations whose token waits in `scopeInstanceId` (the scope is being cancelled). */
export function removeParkedTokens(run: EngineRun, scopeInstanceId: string): void {
  for (const job of run.draft.asyncJobs.ownedBy(scopeInstanceId)) removeParkedToken(run, job);
}

/**
 * Takes the variables set on a transition instance's execution off it (its job runs now) and returns
 * them, for the activity instance the token enters; `undefined` when there are none.
 */
export function takeParkedVariables(run: EngineRun, job: AsyncJob): VariableMap | undefined {
  const records = run.draft.variables.removeOwnedBy(job.executionId);
  if (records.length === 0) return undefined;
  return Object.fromEntries(records.map((record) => [record.name, record.value]));
}
