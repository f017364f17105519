/**
 * Applying a compiled plan to one validated process instance (reference §10.6), in Camunda's two
 * phases on one draft:
 * 1. bottom-up, still on the source definition: every scope instance without instruction is cancelled
 *    (its tasks, subscriptions, timers and local variables go with it) after its children moved up
 *    to its parent; mapped instances lose the triggers of unmapped events;
 * 2. top-down, on the target definition: each mapped instance keeps its id and is re-pointed to its
 *    target activity; when its target lies in a scope that has no instance on its branch yet, that
 *    scope is instantiated (once per parent: siblings share it) with its boundary-event triggers.
 * Cancelled scopes run their output mappings and instantiated scopes their input mappings, unless
 * `skipIoMappings`. Plan variables are then set on the process instance.
 */
import { createActivityInstance, removeActivityInstance } from '../execution/activity-lifecycle';
import { asyncJobDefinitionId } from '../execution/job-definitions';
import { createBoundaryTriggers } from '../execution/boundary-events';
import type { EngineResult } from '../state/engine-effects';
import { EngineRun } from '../execution/engine-run';
import { runInputMappings, runOutputMappings } from '../execution/io-mappings';
import { handOverLoopVariables } from '../execution/multi-instance';
import { InstanceDraft } from '../state/instance-draft';
import type {
  ActivityInstance,
  AsyncJob,
  EngineContext,
  ProcessInstanceState,
} from '../state/instance-state';
import { applyVariables } from '../state/variables';
import { TokenRunner } from '../execution/token-runner';
import type { CompiledInstruction, CompiledMigrationPlan } from './compiled-plan';
import { migrateOwnedRecords, migrateTriggers, removeUnmappedTriggers } from './trigger-migration';
import { createEventSubProcessTriggers } from '../execution/event-sub-processes';
import { handOverCompensation, migrateCompensation } from './compensation-migration';

/** Target scope id → the scope instance that stands for it on the current branch of the tree. */
type Branch = Map<string, string>;

/** Options of a migration execution besides its plan. */
export interface MigrationOptions {
  /**
   * Skip the output mappings of the scope instances migration cancels (those without instruction) and
   * the input mappings of the target scopes it instantiates. Migrated instances never run mappings:
   * their local variables are kept as they are. Default `false`.
   */
  readonly skipIoMappings?: boolean;
}

/**
 * Migrates `state`, which must have passed the instance validation of `plan`. The input is untouched.
 * The result lists the effects of both phases in order, then `processMigrated`.
 */
export function applyMigration(
  plan: CompiledMigrationPlan,
  state: ProcessInstanceState,
  ctx: EngineContext,
  options: MigrationOptions = {},
): EngineResult {
  const skipIoMappings = options.skipIoMappings ?? false;
  const draft = new InstanceDraft(state);
  const root = draft.root;
  if (root === undefined) return { state, effects: [] };
  const onSource = new EngineRun(plan.source.model, draft, ctx);
  removeUnmapped(onSource, plan, root, skipIoMappings);
  const onTarget = new EngineRun(plan.target.model, draft, ctx);
  migrateRoot(onTarget, plan, root, skipIoMappings);
  migrateCompensation(onTarget, plan);
  if (Object.keys(plan.variables).length > 0) applyVariables(onTarget, root.id, plan.variables, false);
  // The migrated instance's conditional events see the plan's variables, as after `setVariables`.
  if (onTarget.variableEvents.length > 0) new TokenRunner(onTarget).runToWaitStates();
  onTarget.emit({
    type: 'processMigrated',
    processInstanceId: state.id,
    sourceDefinitionId: plan.source.id,
    definitionId: plan.target.id,
    definitionKey: plan.target.model.id,
    time: ctx.now,
  });
  return { state: draft.toState(), effects: [...onSource.effects, ...onTarget.effects] };
}

/** Phase one: post-order, so an unmapped scope only moves children that are themselves settled. */
function removeUnmapped(
  run: EngineRun,
  plan: CompiledMigrationPlan,
  instance: ActivityInstance,
  skipIoMappings: boolean,
): void {
  for (const child of run.draft.childrenOf(instance.id)) removeUnmapped(run, plan, child, skipIoMappings);
  if (instance.parentId === null) {
    // The root's own triggers (event sub-process start events) migrate with the process.
    removeUnmappedTriggers(run, plan, instance, plan.target.model.id);
    return;
  }
  const instruction = plan.instructionFor(instance.activityId);
  if (instruction !== undefined) {
    removeUnmappedTriggers(run, plan, instance, instruction.target.id);
    return;
  }
  handOverLoopVariables(run, instance.id);
  handOverCompensation(run, instance.id, instance.parentId);
  for (const child of run.draft.childrenOf(instance.id)) {
    run.draft.activityInstances.add({ ...child, parentId: instance.parentId });
  }
  for (const job of run.draft.asyncJobs.ownedBy(instance.id)) {
    run.draft.asyncJobs.add({ ...job, activityInstanceId: instance.parentId });
  }
  if (!skipIoMappings) runOutputMappings(run, instance);
  removeActivityInstance(run, instance, 'canceled');
}

function migrateRoot(
  run: EngineRun,
  plan: CompiledMigrationPlan,
  root: ActivityInstance,
  skipIoMappings: boolean,
): void {
  const { header } = run.draft;
  header.definitionId = plan.target.id;
  header.definitionKey = plan.target.model.id;
  const migratedRoot = { ...root, activityId: plan.target.id };
  run.draft.activityInstances.add(migratedRoot);
  migrateTriggers(run, plan, migratedRoot, plan.target.model.id, plan.rootTriggers);
  migrateChildren(run, plan, root.id, {
    branch: new Map([[plan.target.model.id, root.id]]),
    skipIoMappings,
  });
}

/** Where phase two is in the tree: the branch's scope instances, and whether inputs are skipped. */
interface TargetSite {
  readonly branch: Branch;
  readonly skipIoMappings: boolean;
}

/** Phase two for the children of `parentId`; they share one branch (once-per-parent instantiation). */
function migrateChildren(
  run: EngineRun,
  plan: CompiledMigrationPlan,
  parentId: string,
  site: TargetSite,
): void {
  for (const child of run.draft.childrenOf(parentId)) {
    const instruction = plan.instructionFor(child.activityId) as CompiledInstruction;
    const scopeInstanceId = scopeInstanceFor(run, instruction.target.scopeId, site);
    const migrated: ActivityInstance = {
      ...child,
      parentId: scopeInstanceId,
      activityId: instruction.target.id,
      activityType: instruction.targetActivityType,
    };
    run.draft.activityInstances.add(migrated);
    run.emit({
      type: 'activityMigrated',
      activityInstanceId: migrated.id,
      parentActivityInstanceId: scopeInstanceId,
      sourceParentActivityInstanceId: parentId,
      sourceActivityId: child.activityId,
      activityId: migrated.activityId,
      activityType: migrated.activityType,
      time: run.now,
    });
    migrateOwnedRecords(run, plan, migrated, instruction);
    if (run.draft.hasChildren(migrated.id)) {
      const branch = new Map(site.branch).set(instruction.target.id, migrated.id);
      migrateChildren(run, plan, migrated.id, { ...site, branch });
    }
  }
  for (const job of run.draft.asyncJobs.ownedBy(parentId)) migrateTransitionInstance(run, plan, job, site);
}

/**
 * Phase two for a transition instance waiting in the scope instance being migrated: its job keeps its
 * id, retries, exception and creation time, and moves to the target activity (its job definition
 * there, in the same direction), below the target's flow scope instance on this branch (instantiated
 * if missing). An asyncAfter token takes the target's only outgoing flow, or the flow of the same id
 * among several (validated), or none.
 */
function migrateTransitionInstance(
  run: EngineRun,
  plan: CompiledMigrationPlan,
  job: AsyncJob,
  site: TargetSite,
): void {
  const { target } = plan.instructionFor(job.activityId) as CompiledInstruction;
  const scopeInstanceId = scopeInstanceFor(run, target.scopeId, site);
  const flowId =
    job.direction === 'before' || target.outgoing.length === 0
      ? null
      : target.outgoing.length === 1
        ? (target.outgoing[0] as string)
        : job.flowId;
  run.draft.asyncJobs.add({
    ...job,
    activityId: target.id,
    activityInstanceId: scopeInstanceId,
    flowId,
    jobDefinitionId: asyncJobDefinitionId(plan.target.id, target.id, job.direction),
  });
}

/**
 * The instance of the target scope `scopeId` on this branch, instantiating it and any missing
 * enclosing scopes top-down below the closest scope that has one (the process always has one), each
 * with its input mappings (unless skipped) and boundary-event triggers.
 */
function scopeInstanceFor(run: EngineRun, scopeId: string, { branch, skipIoMappings }: TargetSite): string {
  const missing: string[] = [];
  let existing = branch.get(scopeId);
  for (let current = scopeId; existing === undefined; existing = branch.get(current)) {
    missing.push(current);
    current = run.node(current).scopeId;
  }
  let parentId = existing;
  for (const missingScopeId of missing.reverse()) {
    const created = createActivityInstance(run, parentId, run.node(missingScopeId));
    if (!skipIoMappings) runInputMappings(run, created);
    createBoundaryTriggers(run, created);
    createEventSubProcessTriggers(run, created);
    branch.set(missingScopeId, created.id);
    parentId = created.id;
  }
  return parentId;
}
