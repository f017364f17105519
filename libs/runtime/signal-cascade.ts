import {
  correlateSignal,
  startInstance,
  type EngineContext,
  type EngineEffect,
  type VariableMap,
} from '@libs/engine';
import {
  EventSubscriptionRepository,
  InstanceStore,
  ProcessDefinitionRepository,
  StartEventRepository,
  type Sql,
} from '@libs/persistence';
import { PendingOperations, type AppliedOperation } from './call-activity-cascade';
import type { ProcessModels } from './process-models';

/** A signal to broadcast: its name, payload and which tenants' instances and definitions it reaches. */
export interface SignalBroadcast {
  readonly signalName: string;
  readonly variables?: VariableMap;
  /** `undefined`: every tenant; `null`: only without tenant; a text: that tenant. */
  readonly tenantId?: string | null;
  /** With `tenantId`: those without tenant too. */
  readonly alsoWithoutTenant?: boolean;
  /** An instance not to deliver to (the synchronous thrower, which delivered to itself). */
  readonly excludeInstanceId?: string;
  /** Only the subscriptions of this execution; no instance is started then. */
  readonly executionId?: string;
}

export type ThrownSignal = Extract<EngineEffect, { type: 'signalThrown' }>;

/** The broadcast a signal throw event asks for (Camunda's tenant rule for thrown signals). */
export function broadcastOf(thrown: ThrownSignal): SignalBroadcast {
  return {
    signalName: thrown.signalName,
    tenantId: thrown.tenantId,
    alsoWithoutTenant: thrown.tenantId !== null,
    excludeInstanceId: thrown.async ? undefined : thrown.processInstanceId,
  };
}

/**
 * Delivers signals inside the caller's transaction: to every waiting signal subscription of the
 * instances they reach (locked, in id order) and by starting the latest active definitions with a
 * signal start event of that name. The receivers of several signals are loaded once.
 */
export class SignalCascade {
  private readonly store = new InstanceStore();
  private readonly subscriptions = new EventSubscriptionRepository();
  private readonly startEvents = new StartEventRepository();
  private readonly definitions = new ProcessDefinitionRepository();

  constructor(private readonly models: ProcessModels) {}

  /** The instances a signal reaches, in id order. */
  receivers(sql: Sql, signal: SignalBroadcast): Promise<string[]> {
    return this.subscriptions.signalReceivers(sql, signal);
  }

  /**
   * The operations that deliver `signals` (thrown inside a transaction) to every instance they reach
   * and to the definitions they start.
   */
  async deliverAll(
    sql: Sql,
    signals: readonly SignalBroadcast[],
    ctx: EngineContext,
  ): Promise<AppliedOperation[]> {
    const next = new PendingOperations(this.store, this.models, sql, ctx);
    for (const signal of signals) {
      await this.notify(next, signal, await this.receivers(sql, signal));
      await this.startInstances(sql, signal, ctx, next);
    }
    return next.results();
  }

  /** The operations that deliver `signal` to `instanceIds`, and, with `withStarts`, start its definitions. */
  async deliver(
    sql: Sql,
    signal: SignalBroadcast,
    ctx: EngineContext,
    instanceIds: readonly string[],
    withStarts: boolean,
  ): Promise<AppliedOperation[]> {
    const next = new PendingOperations(this.store, this.models, sql, ctx);
    await this.notify(next, signal, instanceIds);
    if (withStarts) await this.startInstances(sql, signal, ctx, next);
    return next.results();
  }

  private notify(
    next: PendingOperations,
    signal: SignalBroadcast,
    instanceIds: readonly string[],
  ): Promise<void> {
    const command = {
      signalName: signal.signalName,
      variables: signal.variables,
      executionId: signal.executionId,
    };
    // Suspended since the receivers were read: not a receiver any more, as in Camunda.
    return next.apply(instanceIds, (model, state, context) =>
      state.suspended ? null : correlateSignal(model, state, command, context),
    );
  }

  /** Starts an instance of each latest definition whose signal start event `signal` names. */
  async startInstances(
    sql: Sql,
    signal: SignalBroadcast,
    ctx: EngineContext,
    next: PendingOperations,
  ): Promise<void> {
    if (signal.executionId !== undefined) return;
    const targets = await this.startEvents.latest(sql, 'signal', signal.signalName, signal);
    for (const target of targets) {
      const definition = await this.definitions.find(sql, target.definitionId);
      if (definition === undefined || definition.suspended) continue;
      const model = await this.models.get(definition.id);
      next.add(
        model,
        startInstance(
          model,
          {
            definitionId: definition.id,
            tenantId: definition.tenantId,
            businessKey: null,
            variables: signal.variables,
            startEventId: target.activityId,
          },
          ctx,
        ),
      );
    }
  }
}
