import type { ProcessModel } from '@libs/bpmn';
import {
  cancelActivityInstance,
  cancelInstance,
  catchCalledError,
  catchCalledEscalation,
  completeCallActivity,
  endUncaughtError,
  NullValueException,
  ProcessEngineException,
  startInstance,
  type EngineContext,
  type EngineEffect,
  type EngineResult,
  type ProcessInstanceState,
  type VariableMap,
} from '@libs/engine';
import {
  InstanceStore,
  ProcessDefinitionRepository,
  ProcessInstanceRepository,
  type InstanceChange,
  type LoadedInstance,
  type ProcessDefinitionRecord,
  type Sql,
} from '@libs/persistence';
import type { ProcessModels } from './process-models';

/** One instance's operation result as the runtime service writes it. */
export interface AppliedOperation {
  readonly change: InstanceChange;
  readonly model: ProcessModel;
  readonly result: EngineResult;
}

type CallStarted = Extract<EngineEffect, { type: 'callActivityStarted' }>;

/** A called instance's end, as its caller's call activity instance learns it. */
interface CalledEnd {
  readonly activityInstanceId: string;
  readonly completed: boolean;
  readonly variables: VariableMap;
}

/**
 * What operations on some instances cause on the instances linked to them by call activities, run in
 * the same transaction (reference constructs §4.1):
 * - a call activity began → its called instance starts, linked to it;
 * - a call activity instance ended without completing (deleted, cancelled, interrupted) → its called
 *   instance is deleted, and so on down;
 * - a called instance ended → its call activity completes with the `camunda:out` variables (the
 *   called instance completed) or is cancelled (it was deleted or cancelled down to nothing), and so
 *   on up; a called instance deleted from above does not report back.
 *
 * Locks: downwards the caller is locked before its called instance, upwards the other way round; two
 * such operations on one call hierarchy may deadlock, which the runtime service retries. Operations
 * without call-activity effects (a migration batch over callers) cost nothing here.
 */
export class CallActivityCascade {
  private readonly store = new InstanceStore();
  private readonly definitions = new ProcessDefinitionRepository();
  private readonly instances = new ProcessInstanceRepository();

  constructor(private readonly models: ProcessModels) {}

  /**
   * The operations that `applied` (already written) causes on linked instances, one result per
   * instance; empty when there is nothing to do. `deletedFromAbove` collects the called instances
   * this cascade deletes, across rounds, so their end does not travel back up.
   */
  async follow(
    sql: Sql,
    applied: readonly AppliedOperation[],
    ctx: EngineContext,
    deletedFromAbove: Set<string>,
  ): Promise<AppliedOperation[]> {
    const next = new PendingOperations(this.store, this.models, sql, ctx);
    await this.startCalledInstances(sql, applied, ctx, next);
    await this.deleteCalledInstances(sql, applied, next, deletedFromAbove);
    await this.propagateThrows(applied, next, deletedFromAbove);
    await this.continueCallers(applied, next, deletedFromAbove);
    return next.results();
  }

  /**
   * BPMN errors and escalations that escaped a called instance are looked for in its caller, from the
   * call activity instance outwards; an error nobody caught up to the root caller ends its thrower.
   */
  private async propagateThrows(
    applied: readonly AppliedOperation[],
    next: PendingOperations,
    deletedFromAbove: ReadonlySet<string>,
  ): Promise<void> {
    const throws = new Map<string, CascadeOperation[]>();
    const add = (instanceId: string, operation: CascadeOperation) =>
      throws.set(instanceId, [...(throws.get(instanceId) ?? []), operation]);
    for (const { result } of applied) {
      const links = result.state.callLinks;
      for (const effect of result.effects) {
        if (effect.type === 'bpmnErrorUncaught') {
          const { activityInstanceId } = effect.origin;
          add(effect.origin.processInstanceId, (model, state, ctx) =>
            endUncaughtError(model, state, { activityInstanceId }, ctx),
          );
        }
        if (links === undefined || deletedFromAbove.has(result.state.id)) continue;
        const activityInstanceId = links.superActivityInstanceId;
        if (effect.type === 'bpmnErrorEscaped') {
          add(links.superProcessInstanceId, (model, state, ctx) =>
            catchCalledError(
              model,
              state,
              {
                activityInstanceId,
                errorCode: effect.errorCode,
                errorMessage: effect.errorMessage,
                origin: effect.origin,
                calledVariables: effect.variables,
              },
              ctx,
            ),
          );
        }
        if (effect.type === 'escalationEscaped') {
          add(links.superProcessInstanceId, (model, state, ctx) =>
            catchCalledEscalation(
              model,
              state,
              {
                activityInstanceId,
                escalationCode: effect.escalationCode,
                calledVariables: effect.variables,
              },
              ctx,
            ),
          );
        }
      }
    }
    await next.apply([...throws.keys()], (model, state, ctx) => {
      let current: EngineResult = { state, effects: [] };
      for (const operation of throws.get(state.id) ?? []) {
        if (current.state.state !== 'ACTIVE') break;
        const result = operation(model, current.state, ctx);
        if (result === null) continue;
        current = { state: result.state, effects: [...current.effects, ...result.effects] };
      }
      return current.effects.length === 0 && current.state === state ? null : current;
    });
  }

  private async startCalledInstances(
    sql: Sql,
    applied: readonly AppliedOperation[],
    ctx: EngineContext,
    next: PendingOperations,
  ): Promise<void> {
    // Many callers of one definition (a start of many instances) call the same definition: look it up once.
    const resolved = new Map<string, Promise<ProcessDefinitionRecord>>();
    for (const { result } of applied) {
      const ended = endedCallActivities(result.effects);
      for (const effect of result.effects) {
        // Started and cancelled within one operation (e.g. one modification): nothing to call.
        if (effect.type !== 'callActivityStarted' || ended.has(effect.activityInstanceId)) continue;
        const { binding, calledElement, version, versionTag, tenantId } = effect;
        const key = JSON.stringify([
          binding,
          calledElement,
          version,
          versionTag,
          tenantId,
          result.state.definitionId,
        ]);
        let lookup = resolved.get(key);
        if (lookup === undefined) {
          lookup = this.calledDefinition(sql, result.state, effect);
          resolved.set(key, lookup);
        }
        const definition = await lookup;
        const model = await this.models.get(definition.id);
        next.add(
          model,
          startInstance(
            model,
            {
              definitionId: definition.id,
              tenantId: definition.tenantId,
              businessKey: effect.businessKey,
              variables: effect.variables,
              callLinks: {
                superProcessInstanceId: result.state.id,
                superActivityInstanceId: effect.activityInstanceId,
                rootProcessInstanceId: result.state.callLinks?.rootProcessInstanceId ?? result.state.id,
              },
            },
            ctx,
          ),
        );
      }
    }
  }

  private async deleteCalledInstances(
    sql: Sql,
    applied: readonly AppliedOperation[],
    next: PendingOperations,
    deletedFromAbove: Set<string>,
  ): Promise<void> {
    const reasons = new Map<string, string | null>();
    for (const { result } of applied) {
      const deleteReason =
        result.effects.find((effect) => effect.type === 'processEnded')?.deleteReason ?? null;
      for (const id of endedCallActivities(result.effects)) reasons.set(id, deleteReason);
    }
    if (reasons.size === 0) return;
    const called = await this.instances.calledBy(sql, [...reasons.keys()]);
    for (const id of called) deletedFromAbove.add(id);
    await next.apply(called, (model, state, ctx) => {
      const deleteReason = reasons.get(state.callLinks?.superActivityInstanceId ?? '') ?? null;
      return cancelInstance(model, state, { deleteReason }, ctx);
    });
  }

  private async continueCallers(
    applied: readonly AppliedOperation[],
    next: PendingOperations,
    deletedFromAbove: ReadonlySet<string>,
  ): Promise<void> {
    // By caller, so that all callers are loaded at once (a batch may end many called instances).
    const ends = new Map<string, CalledEnd[]>();
    for (const { result } of applied) {
      const links = result.state.callLinks;
      const ended = result.effects.find((effect) => effect.type === 'processEnded');
      if (links === undefined || ended === undefined || deletedFromAbove.has(result.state.id)) continue;
      const end: CalledEnd = {
        activityInstanceId: links.superActivityInstanceId,
        completed: ended.state === 'COMPLETED',
        variables: processVariables(result.state),
      };
      ends.set(links.superProcessInstanceId, [...(ends.get(links.superProcessInstanceId) ?? []), end]);
    }
    await next.apply([...ends.keys()], (model, state, ctx) => {
      let current = state;
      const effects: EngineEffect[] = [];
      for (const { activityInstanceId, completed, variables } of ends.get(state.id) ?? []) {
        // The caller no longer waits there (e.g. it was deleted meanwhile): nothing to continue.
        const waits = current.activityInstances.some((instance) => instance.id === activityInstanceId);
        if (current.state !== 'ACTIVE' || !waits) continue;
        const result = completed
          ? completeCallActivity(model, current, { activityInstanceId, calledVariables: variables }, ctx)
          : cancelActivityInstance(model, current, { activityInstanceId }, ctx);
        current = result.state;
        effects.push(...result.effects);
      }
      return current === state ? null : { state: current, effects };
    });
  }

  /**
   * The definition a call activity calls, by its binding (Camunda's `CallableElementUtil`), with
   * Camunda's message when there is none; a suspended one cannot be started.
   */
  private async calledDefinition(
    sql: Sql,
    caller: ProcessInstanceState,
    call: CallStarted,
  ): Promise<ProcessDefinitionRecord> {
    const { calledElement: key, tenantId } = call;
    let found: ProcessDefinitionRecord | undefined;
    let missing: string;
    switch (call.binding) {
      case 'latest':
        found = await this.definitions.findLatest(sql, key, tenantId);
        missing = `no processes deployed with key '${key}' and tenant-id '${tenantId}'`;
        if (tenantId === null) missing = `no processes deployed with key '${key}'`;
        break;
      case 'deployment': {
        const deploymentId = (await this.definitions.find(sql, caller.definitionId))?.deploymentId;
        [found] = await this.definitions.query(sql, { key, deploymentId: deploymentId ?? '' });
        missing = `no processes deployed with key = '${key}' in deployment = '${deploymentId}'`;
        break;
      }
      case 'version':
        [found] = await this.definitions.query(sql, {
          key,
          version: call.version ?? undefined,
          ...tenantFilter(tenantId),
        });
        missing = `no processes deployed with key = '${key}', version = '${call.version}' and tenant-id = '${tenantId}'`;
        break;
      case 'versionTag':
        [found] = await this.definitions.query(
          sql,
          { key, versionTag: call.versionTag ?? undefined, ...tenantFilter(tenantId) },
          { offset: 0, limit: 1 },
          [{ by: 'version', order: 'desc' }],
        );
        missing = `no processes deployed with key = '${key}', versionTag = '${call.versionTag}' and tenant-id = '${tenantId}'`;
        break;
    }
    // Camunda's `ensureNotNull`: a NullValueException (500 over REST).
    if (found === undefined) throw new NullValueException(`${missing}: processDefinition is null`);
    if (found.suspended) {
      throw new ProcessEngineException(
        `Cannot start process instance. Process definition ${found.name ?? found.key} (id = ${found.id}) is suspended`,
      );
    }
    return found;
  }
}

const tenantFilter = (tenantId: string | null) =>
  tenantId === null ? { withoutTenantId: true } : { tenantIdIn: [tenantId] };

/** The call activity instances that ended without completing (their called instances must go). */
function endedCallActivities(effects: readonly EngineEffect[]): Set<string> {
  const ended = new Set<string>();
  for (const effect of effects) {
    if (
      effect.type === 'activityEnded' &&
      effect.activityType === 'callActivity' &&
      effect.endReason !== 'completed'
    ) {
      ended.add(effect.activityInstanceId);
    }
  }
  return ended;
}

/** The process variables of an ended instance (the engine keeps them for its caller). */
function processVariables(state: ProcessInstanceState): VariableMap {
  const variables: Record<string, VariableMap[string]> = {};
  for (const variable of state.variables) {
    if (variable.scopeId === state.id) variables[variable.name] = variable.value;
  }
  return variables;
}

export type CascadeOperation = (
  model: ProcessModel,
  state: ProcessInstanceState,
  ctx: EngineContext,
) => EngineResult | null;

/**
 * The operations of one round, at most one result per instance: a second operation on an instance
 * runs on the first one's result, and their effects add up. Instances are loaded with row locks.
 */
export class PendingOperations {
  private readonly pending = new Map<string, AppliedOperation>();
  private readonly created: AppliedOperation[] = [];

  constructor(
    private readonly store: InstanceStore,
    private readonly models: ProcessModels,
    private readonly sql: Sql,
    private readonly ctx: EngineContext,
  ) {}

  /** A new instance's start. */
  add(model: ProcessModel, result: EngineResult): void {
    this.created.push({ change: { before: null, after: result.state }, model, result });
  }

  /** Runs `operation` on each running instance of `ids` (an operation answering `null` changes nothing). */
  async apply(ids: readonly string[], operation: CascadeOperation): Promise<void> {
    const toLoad = ids.filter((id) => !this.pending.has(id));
    const loaded: Map<string, LoadedInstance> = await this.store.load(this.sql, toLoad, { lock: true });
    for (const id of ids) {
      const earlier = this.pending.get(id);
      const before = earlier?.change.before ?? loaded.get(id);
      const state = earlier?.result.state ?? before?.state;
      if (before === undefined || before === null || state === undefined || state.state !== 'ACTIVE')
        continue;
      const model = earlier?.model ?? (await this.models.get(state.definitionId));
      const result = operation(model, state, this.ctx);
      if (result === null) continue;
      this.pending.set(id, {
        change: { before, after: result.state },
        model,
        result: { state: result.state, effects: [...(earlier?.result.effects ?? []), ...result.effects] },
      });
    }
  }

  results(): AppliedOperation[] {
    return [...this.created, ...this.pending.values()];
  }
}
