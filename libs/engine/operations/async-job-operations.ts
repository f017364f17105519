/**
 * Running an asynchronous continuation's job: the token leaves its transition instance and runs on to
 * its next wait states, as the synchronous continuation would have. A pure function like every
 * operation; the shell runs it under the instance lock and, when it throws, rolls back and records the
 * failure on the job (retries, exception, incident).
 */
import type { ProcessModel } from '@libs/bpmn';
import type { EngineResult } from '../state/engine-effects';
import { NotFoundException } from '../errors';
import type { EngineContext, ProcessInstanceState } from '../state/instance-state';
import { InstanceSession } from '../state/instance-session';

export interface ExecuteAsyncJobCommand {
  readonly jobId: string;
}

/**
 * Executes an asynchronous continuation job: asyncBefore enters the activity (its activity instance,
 * task, history row… are created now); asyncAfter takes the flow chosen when the activity ended.
 * @throws NotFoundException when the job does not exist; SuspendedEntityInteractionException when the
 * instance is suspended; ProcessEngineException from the continued process (e.g. a condition that
 * cannot be evaluated), which leaves the state as it was.
 */
export function executeAsyncJob(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: ExecuteAsyncJobCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  const job = session.draft.asyncJobs.get(command.jobId);
  if (job === undefined) throw new NotFoundException(`No job found with id '${command.jobId}'`);
  session.requireNotSuspended('Job', job.id);
  session.runner.resume(job);
  session.runner.runToWaitStates();
  session.run.emit({ type: 'jobExecuted', jobId: job.id });
  return session.finish();
}
