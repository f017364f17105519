/**
 * Migration of what compensation keeps (Camunda's `CompensationInstanceHandler`,
 * `NoUnmappedLeafInstanceValidator`, `NoUnmappedCompensationStartEventValidator`): a `compensate`
 * subscription migrates with the instruction of its catching event (the compensation boundary event of
 * the compensated activity; for a snapshot, the completed sub-process / body itself, or the start event
 * of its compensation event sub-process); a snapshot scope migrates with the instruction of its
 * sub-process / body, its variables kept, and without one hands its content to its parent. Failures
 * are reported on the closest live activity instance (the root's report names the definition).
 */
import { compensationBoundaryOf, isCompensationEventSubProcess, type ProcessModel } from '@libs/bpmn';
import type { EngineRun } from '../execution/engine-run';
import type { EventSubscription, ProcessInstanceState } from '../state/instance-state';
import type { CompiledInstruction, CompiledMigrationPlan } from './compiled-plan';

/** The instruction a compensate subscription migrates with, if any. */
function subscriptionInstruction(
  plan: CompiledMigrationPlan,
  subscription: EventSubscription,
): CompiledInstruction | undefined {
  const model = plan.source.model;
  const activity = model.nodes.get(subscription.activityId);
  if (activity === undefined) return undefined;
  if (activity.kind === 'subProcess' && isCompensationEventSubProcess(model, activity)) {
    return plan.instructionFor(activity.startEventId);
  }
  if (hasSnapshot(subscription)) return plan.instructionFor(activity.id);
  const boundary = compensationBoundaryFor(model, activity.id);
  return boundary === undefined ? undefined : plan.instructionFor(boundary);
}

const hasSnapshot = (subscription: EventSubscription): boolean =>
  subscription.configuration !== null && subscription.configuration !== undefined;

/** The compensation boundary event whose handler is `handlerId`. */
function compensationBoundaryFor(model: ProcessModel, handlerId: string): string | undefined {
  for (const node of model.nodes.values()) {
    if (node.kind === 'boundaryEvent' && node.compensationHandlerId === handlerId) return node.id;
  }
  return undefined;
}

/**
 * The compensation failures of `state` under `plan`, by the live activity instance whose report
 * carries them, in subscription order.
 */
export function compensationFailures(
  plan: CompiledMigrationPlan,
  state: ProcessInstanceState,
): Map<string, string[]> {
  const live = new Set(state.activityInstances.map((instance) => instance.id));
  const parentOf = new Map(state.eventScopes.map((scope) => [scope.id, scope.parentId]));
  const closestLive = (ownerId: string): string => {
    let id: string | undefined = ownerId;
    while (id !== undefined && !live.has(id)) id = parentOf.get(id);
    return id ?? state.id;
  };
  const contentOwners = new Set([
    ...state.eventSubscriptions.map((s) => s.activityInstanceId),
    ...state.eventScopes.map((s) => s.parentId),
  ]);
  const failures = new Map<string, string[]>();
  for (const subscription of state.eventSubscriptions) {
    if (subscription.type !== 'compensate') continue;
    const failure = subscriptionFailure(plan, subscription, contentOwners);
    if (failure === null) continue;
    const owner = closestLive(subscription.activityInstanceId);
    failures.set(owner, [...(failures.get(owner) ?? []), failure]);
  }
  return failures;
}

function subscriptionFailure(
  plan: CompiledMigrationPlan,
  subscription: EventSubscription,
  contentOwners: ReadonlySet<string>,
): string | null {
  const prefix = `Cannot migrate subscription for compensation handler '${subscription.activityId}'. `;
  const instruction = subscriptionInstruction(plan, subscription);
  if (!hasSnapshot(subscription)) {
    return instruction === undefined
      ? `${prefix}There is no migration instruction for the compensation boundary event`
      : null;
  }
  const withContent = contentOwners.has(subscription.configuration!);
  const handler = plan.source.model.nodes.get(subscription.activityId);
  const startsEventSubProcess =
    handler !== undefined && isCompensationEventSubProcess(plan.source.model, handler);
  if (instruction === undefined && (!withContent || startsEventSubProcess)) {
    return `${prefix}There is no migration instruction for the compensation start event`;
  }
  return null;
}

/**
 * Phase one for a scope instance migration removes: its compensate subscriptions and snapshots move to
 * the parent scope instance (compensation is then thrown from there).
 */
export function handOverCompensation(run: EngineRun, instanceId: string, parentId: string): void {
  const { draft } = run;
  const parent = draft.instance(parentId);
  for (const subscription of draft.subscriptions.ownedBy(instanceId)) {
    if (subscription.type !== 'compensate') continue;
    draft.subscriptions.add({
      ...subscription,
      activityInstanceId: parentId,
      executionId: parent?.executionId ?? parentId,
    });
  }
  for (const scope of draft.eventScopes.removeOwnedBy(instanceId)) {
    draft.eventScopes.add({ ...scope, parentId });
  }
}

/**
 * Phase two, after every activity instance migrated: re-points every compensate subscription to its
 * target handler (or target scope) and every snapshot to its target activity; a snapshot without
 * instruction hands its content to its owner and goes, with the subscription that referenced it.
 */
export function migrateCompensation(run: EngineRun, plan: CompiledMigrationPlan): void {
  const { draft } = run;
  for (const eventScope of [...draft.eventScopes.values()]) {
    const instruction = plan.instructionFor(eventScope.activityId);
    if (instruction !== undefined) {
      draft.eventScopes.add({ ...eventScope, activityId: instruction.target.id });
      continue;
    }
    draft.eventScopes.remove(eventScope.id);
    draft.variables.removeOwnedBy(eventScope.id);
    for (const subscription of draft.subscriptions.removeOwnedBy(eventScope.id)) {
      draft.subscriptions.add({
        ...subscription,
        activityInstanceId: eventScope.parentId,
        executionId: executionOf(run, eventScope.parentId),
      });
    }
    for (const child of draft.eventScopes.removeOwnedBy(eventScope.id)) {
      draft.eventScopes.add({ ...child, parentId: eventScope.parentId });
    }
    for (const subscription of [...draft.subscriptions.values()]) {
      if (subscription.configuration === eventScope.id) draft.subscriptions.remove(subscription.id);
    }
  }
  for (const subscription of [...draft.subscriptions.values()]) {
    if (subscription.type !== 'compensate') continue;
    const instruction = subscriptionInstruction(plan, subscription);
    const targetId = instruction === undefined ? undefined : targetHandler(plan, instruction, subscription);
    if (targetId === undefined) draft.subscriptions.remove(subscription.id);
    else draft.subscriptions.add({ ...subscription, activityId: targetId });
  }
}

/**
 * The target `activityId` of a subscription: for a handler, the handler of the target boundary event's
 * activity; for a compensation event sub-process, the one of the target start event; else the target.
 */
function targetHandler(
  plan: CompiledMigrationPlan,
  instruction: CompiledInstruction,
  subscription: EventSubscription,
): string | undefined {
  const { target } = instruction;
  const model = plan.target.model;
  if (target.kind === 'startEvent') return target.scopeId;
  if (target.kind !== 'boundaryEvent') return hasSnapshot(subscription) ? target.id : undefined;
  const host = model.nodes.get(target.attachedToId);
  const inner = host?.kind === 'multiInstanceBody' ? model.nodes.get(host.innerActivityId) : host;
  return inner === undefined
    ? undefined
    : (compensationBoundaryOf(model, inner)?.compensationHandlerId ?? undefined);
}

function executionOf(run: EngineRun, ownerId: string): string {
  return run.draft.instance(ownerId)?.executionId ?? ownerId;
}
