/**
 * What an activity instance owns besides its identity, carried over to the target definition:
 * tasks and external tasks are re-pointed; subscriptions and timer jobs of mapped events follow
 * their instruction (kept as they are, or rebuilt from the target with `updateEventTrigger`); those of
 * unmapped events are removed; triggers the target declares and nothing carried over are created.
 */
import { isWaitTrigger, type WaitTrigger } from '@libs/bpmn';
import type { EngineRun } from '../execution/engine-run';
import { ProcessEngineException } from '../errors';
import type { ActivityInstance } from '../state/instance-state';
import { createEventTrigger } from '../execution/wait-states';
import { timerJobDefinitionId } from '../execution/job-definitions';
import type { CompiledInstruction, CompiledMigrationPlan } from './compiled-plan';

/**
 * Removes the subscriptions and timer jobs of `owner` that do not migrate with it (phase one, still
 * on the source definition). `ownerTargetId` is the activity the owner migrates to.
 */
export function removeUnmappedTriggers(
  run: EngineRun,
  plan: CompiledMigrationPlan,
  owner: ActivityInstance,
  ownerTargetId: string,
): void {
  const { draft } = run;
  for (const subscription of draft.subscriptions.ownedBy(owner.id)) {
    // Compensate subscriptions follow their own rules (see `compensation-migration.ts`).
    if (subscription.type === 'compensate') continue;
    if (plan.triggerTarget(subscription.activityId, ownerTargetId) === undefined) {
      draft.subscriptions.remove(subscription.id);
    }
  }
  for (const job of draft.jobs.ownedBy(owner.id)) {
    if (plan.triggerTarget(job.activityId, ownerTargetId) !== undefined) continue;
    draft.jobs.remove(job.id);
    run.emit({ type: 'timerCancelled', jobId: job.id });
  }
}

/**
 * Migrates what `owner` (already re-pointed to `instruction.target`) owns, on the target definition.
 * Assumes {@link removeUnmappedTriggers} ran, so every remaining trigger record has a target.
 */
export function migrateOwnedRecords(
  run: EngineRun,
  plan: CompiledMigrationPlan,
  owner: ActivityInstance,
  instruction: CompiledInstruction,
): void {
  migrateTriggers(run, plan, owner, instruction.target.id, instruction.targetTriggers);
}

/**
 * Migrates what `owner` owns to the target activity `targetId` (the target process id for the
 * root), creating the triggers of `targetTriggers` that nothing carried over.
 */
export function migrateTriggers(
  run: EngineRun,
  plan: CompiledMigrationPlan,
  owner: ActivityInstance,
  targetId: string,
  targetTriggers: CompiledInstruction['targetTriggers'],
): void {
  const { draft } = run;
  for (const task of draft.tasks.ownedBy(owner.id)) draft.tasks.add({ ...task, taskDefinitionKey: targetId });
  for (const task of draft.externalTasks.ownedBy(owner.id)) {
    draft.externalTasks.add({ ...task, activityId: targetId });
  }
  const carried = new Set<string>();
  for (const subscription of draft.subscriptions.ownedBy(owner.id)) {
    if (subscription.type === 'compensate') continue;
    const event = plan.triggerTarget(subscription.activityId, targetId) as CompiledInstruction;
    carried.add(event.target.id);
    if (event.updateEventTrigger) rebuild(run, owner, event, subscription.id);
    else draft.subscriptions.add({ ...subscription, activityId: event.target.id });
  }
  for (const job of draft.jobs.ownedBy(owner.id)) {
    const event = plan.triggerTarget(job.activityId, targetId) as CompiledInstruction;
    carried.add(event.target.id);
    if (event.updateEventTrigger) {
      run.emit({ type: 'timerCancelled', jobId: job.id });
      rebuild(run, owner, event, job.id);
    } else {
      const jobDefinitionId = timerJobDefinitionId(draft.header.definitionId, event.target.id);
      draft.jobs.add({ ...job, activityId: event.target.id, jobDefinitionId });
    }
  }
  for (const declaration of targetTriggers) {
    if (!carried.has(declaration.eventId)) {
      createEventTrigger(run, owner, declaration.eventId, declaration.trigger);
    }
  }
}

/**
 * Replaces a trigger record by one built from the target event's definition (event name, or due date
 * from now), keeping its id and creation time.
 */
function rebuild(
  run: EngineRun,
  owner: ActivityInstance,
  event: CompiledInstruction,
  recordId: string,
): void {
  const { subscriptions, jobs } = run.draft;
  const created = (subscriptions.remove(recordId) ?? jobs.remove(recordId))?.created;
  createEventTrigger(run, owner, event.target.id, triggerOf(event), recordId);
  if (created === undefined) return;
  const subscription = subscriptions.get(recordId);
  if (subscription !== undefined) subscriptions.add({ ...subscription, created });
  const job = jobs.get(recordId);
  if (job !== undefined) jobs.add({ ...job, created });
}

function triggerOf(event: CompiledInstruction): WaitTrigger {
  const { target } = event;
  switch (target.kind) {
    case 'boundaryEvent':
    case 'intermediateCatchEvent':
      if (isWaitTrigger(target.trigger)) return target.trigger;
      throw new ProcessEngineException(`Activity '${target.id}' declares no stored event trigger`);
    case 'receiveTask':
      return { type: 'message', messageName: target.messageName } as const;
    case 'startEvent':
      if (target.trigger !== null && isWaitTrigger(target.trigger)) return target.trigger;
      throw new ProcessEngineException(`Activity '${target.id}' declares no stored event trigger`);
    default:
      throw new ProcessEngineException(`Activity '${target.id}' declares no event trigger`);
  }
}
