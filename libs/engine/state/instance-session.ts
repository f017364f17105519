/**
 * A session applies one or more steps to one process instance and produces the new state and the
 * effects at the end. Every public operation is a one-step session; modification (an ordered list of
 * instructions on one instance, with the root kept alive until the last one) and migration use a
 * session directly. The caller's state is never modified; if a step throws, drop the session.
 */
import type { ProcessModel, SubProcess } from '@libs/bpmn';
import { createActivityInstance } from '../execution/activity-lifecycle';
import {
  createEventSubProcessTriggers,
  eventSubProcessStartedBy,
  interruptScope,
  startEventOf,
} from '../execution/event-sub-processes';
import { runInputMappings } from '../execution/io-mappings';
import {
  cancelAllInstancesOf,
  cancelTransitionInstance,
  cancelWithPropagation,
} from '../execution/cancellation';
import type { EngineResult } from './engine-effects';
import { EngineRun } from '../execution/engine-run';
import {
  NotFoundException,
  processInstanceNotFound,
  NotValidException,
  ProcessEngineException,
  SuspendedEntityInteractionException,
} from '../errors';
import { InstanceDraft } from './instance-draft';
import type { ActivityInstance, EngineContext, ProcessInstanceState } from './instance-state';
import { addInnerInstance, bodyInstance } from '../execution/multi-instance';
import { scopeInstanceFor } from '../execution/scope-instantiation';
import { TokenRunner } from '../execution/token-runner';
import type { VariableMap } from './typed-value';
import { applyVariables, dropVariables } from './variables';

export interface SessionOptions {
  /**
   * Keep the process instance alive while it has no activity instances (modification, §11.4);
   * {@link InstanceSession.finish} then completes or cancels it. Default `false`.
   */
  readonly preserveRoot?: boolean;
  /**
   * Modification's `skipIoMappings`: the steps' started activities and the scopes instantiated for
   * them skip their input mappings, the instances they cancel skip their output mappings. Activities
   * reached afterwards by the flow run theirs. Default `false`.
   */
  readonly skipIoMappings?: boolean;
}

/** Where and with which variables a token is started by modification-like steps. */
export interface StartOptions {
  /** Start under this activity instance (creating every scope in between); default: §11.2 lookup. */
  readonly ancestorActivityInstanceId?: string;
  /** Set with propagation from the scope instance the token starts in, before it starts. */
  readonly variables?: VariableMap;
  /** Set locally on the new activity instance before its behaviour runs. */
  readonly localVariables?: VariableMap;
}

/** Entity types named in suspension errors, as Camunda's `EntityTypes`. */
export type SuspendableEntity = 'ProcessInstance' | 'Task' | 'ExternalTask' | 'Job';

/**
 * One or more steps on one process instance. Create it from a state, call steps, then `finish()`
 * once. The state must belong to `model` (its definition key is the model's process id).
 */
export class InstanceSession {
  readonly run: EngineRun;
  readonly runner: TokenRunner;
  private readonly preserveRoot: boolean;
  /** See {@link SessionOptions.skipIoMappings}. */
  readonly skipIoMappings: boolean;

  constructor(
    model: ProcessModel,
    state: ProcessInstanceState,
    ctx: EngineContext,
    options: SessionOptions = {},
  ) {
    if (state.definitionKey !== model.id) {
      throw new ProcessEngineException(
        `Process instance '${state.id}' runs on '${state.definitionKey}', not on process '${model.id}'`,
      );
    }
    this.preserveRoot = options.preserveRoot ?? false;
    this.skipIoMappings = options.skipIoMappings ?? false;
    this.run = new EngineRun(model, new InstanceDraft(state), ctx);
    this.runner = new TokenRunner(this.run, { preserveRoot: this.preserveRoot });
  }

  get draft(): InstanceDraft {
    return this.run.draft;
  }

  /**
   * The root activity instance of a running instance, for modification steps.
   * @throws ProcessEngineException ENGINE-13036 when the instance has ended.
   */
  requireRoot(): ActivityInstance {
    const root = this.draft.root;
    if (root === undefined || !this.draft.isActive) {
      throw new ProcessEngineException(
        `ENGINE-13036 Process instance '${this.draft.header.id}' cannot be modified. The process instance does not exist`,
      );
    }
    return root;
  }

  /**
   * The root of a running instance, for non-modification operations.
   * @throws NotFoundException when the instance has ended (it no longer exists at runtime).
   */
  requireRunning(): ActivityInstance {
    const root = this.draft.root;
    if (root === undefined || !this.draft.isActive) {
      throw processInstanceNotFound(this.draft.header.id);
    }
    return root;
  }

  /** @throws SuspendedEntityInteractionException when the instance is suspended. */
  requireNotSuspended(entity: SuspendableEntity = 'ProcessInstance', id = this.draft.header.id): void {
    if (this.draft.header.suspended) {
      throw new SuspendedEntityInteractionException(`ENGINE-03043 ${entity} with id '${id}' is suspended.`);
    }
  }

  /** An active activity instance. @throws NotFoundException when there is none with that id. */
  requireInstance(activityInstanceId: string): ActivityInstance {
    const instance = this.draft.instance(activityInstanceId);
    if (instance === undefined) {
      throw new NotFoundException(`Activity instance '${activityInstanceId}' does not exist`, {
        entity: 'activityInstance',
        id: activityInstanceId,
      });
    }
    return instance;
  }

  /** Starts a token before `nodeId` (modification `startBeforeActivity`) and runs to wait states. */
  startBefore(nodeId: string, options: StartOptions = {}): void {
    this.requireRoot();
    const node = this.run.node(nodeId);
    if (node.kind === 'boundaryEvent' && node.trigger.type === 'compensate') {
      throw new ProcessEngineException(
        `Cannot start before activity ${nodeId}; activity is a compensation boundary event.`,
      );
    }
    const eventSubProcess =
      node.kind === 'subProcess' && node.triggeredByEvent ? node : eventSubProcessStartedBy(this.run, node);
    if (eventSubProcess !== undefined) {
      this.startEventSubProcess(eventSubProcess, nodeId, options);
      return;
    }
    const scopeInstanceId = this.prepareStart(node.scopeId, nodeId, options);
    // One more inner instance of a multi-instance body; the instruction's own variables win.
    const body = bodyInstance(this.run, scopeInstanceId);
    const localVariables =
      body === undefined
        ? options.localVariables
        : { ...addInnerInstance(this.run, body.body, body.node), ...options.localVariables };
    this.runner.enterNode(scopeInstanceId, nodeId, localVariables, this.skipIoMappings);
    this.runner.runToWaitStates();
  }

  /**
   * Starting before an event sub-process or its start event (Camunda's modification): the event
   * sub-process starts in an instance of its scope (found or created as for any element), and an
   * interrupting one first cancels everything else in that scope instance, as if triggered.
   */
  private startEventSubProcess(eventSubProcess: SubProcess, nodeId: string, options: StartOptions): void {
    const scopeInstanceId = this.prepareStart(eventSubProcess.scopeId, nodeId, options);
    const scope = this.requireInstance(scopeInstanceId);
    const start = startEventOf(this.run, eventSubProcess);
    if (start.interrupting) interruptScope(this.runner, scope, this.skipIoMappings);
    if (nodeId === eventSubProcess.id) {
      this.runner.enterNode(scope.id, nodeId, options.localVariables, this.skipIoMappings);
    } else {
      const instance = createActivityInstance(this.run, scope.id, eventSubProcess);
      if (!this.skipIoMappings) runInputMappings(this.run, instance);
      createEventSubProcessTriggers(this.run, instance);
      this.runner.enterNode(instance.id, nodeId, options.localVariables, this.skipIoMappings);
    }
    this.runner.runToWaitStates();
  }

  /** Starts a token on the single outgoing flow of `nodeId` (modification `startAfterActivity`). */
  startAfter(nodeId: string, options: StartOptions = {}): void {
    this.requireRoot();
    this.startTransition(singleOutgoingFlow(this.run.model, nodeId), options);
  }

  /** Starts a token on the sequence flow `flowId` (modification `startTransition`). */
  startTransition(flowId: string, options: StartOptions = {}): void {
    this.requireRoot();
    const flow = this.run.flow(flowId);
    const scopeInstanceId = this.prepareStart(this.run.node(flow.sourceId).scopeId, flowId, options);
    this.runner.takeFlow(scopeInstanceId, flowId, options.localVariables, this.skipIoMappings);
    this.runner.runToWaitStates();
  }

  /** Cancels an activity instance with upward propagation (§11.4), then runs what that unblocked. */
  cancelActivityInstance(activityInstanceId: string): void {
    this.requireRoot();
    cancelWithPropagation(this.runner, activityInstanceId, this.skipIoMappings);
    this.runner.runToWaitStates();
  }

  /**
   * Cancels a transition instance (a pending asynchronous continuation, by its execution id) with
   * upward propagation, then runs what that unblocked.
   */
  cancelTransitionInstance(transitionInstanceId: string): void {
    this.requireRoot();
    cancelTransitionInstance(this.runner, transitionInstanceId, this.skipIoMappings);
    this.runner.runToWaitStates();
  }

  /** Cancels every activity and transition instance of an activity; unknown ids do nothing. */
  cancelAllForActivity(activityId: string): void {
    this.requireRoot();
    cancelAllInstancesOf(this.runner, activityId, this.skipIoMappings);
    this.runner.runToWaitStates();
  }

  /**
   * Sets variables from `scopeId` (default: the root): locally, or with propagation; conditional
   * events that see them fire.
   * @throws NotFoundException when `scopeId` is not an active activity instance.
   */
  setVariables(variables: VariableMap, scopeId?: string, local = false): void {
    const scope = this.requireInstance(scopeId ?? this.draft.header.id);
    applyVariables(this.run, scope.id, variables, local);
    // Conditional events that see the changes fire now (nothing to do without any).
    this.runner.runToWaitStates();
  }

  /** Removes variables seen from `scopeId` (default: the root); unknown names are ignored. */
  removeVariables(names: readonly string[], scopeId?: string, local = false): void {
    const scope = this.requireInstance(scopeId ?? this.draft.header.id);
    dropVariables(this.run, scope.id, names, local);
    this.runner.runToWaitStates();
  }

  /**
   * Ends the session: dispatches pending variable changes to conditional events, settles a preserved
   * empty root, returns the new state and all effects.
   */
  finish(): EngineResult {
    // Variable changes a step left undispatched (e.g. `camunda:out` variables of an escalation that
    // escaped) still reach the conditional events that see them.
    if (this.run.variableEvents.length > 0) this.runner.runToWaitStates();
    if (this.preserveRoot) this.runner.settleRoot();
    return this.run.result();
  }

  private prepareStart(scopeId: string, elementId: string, options: StartOptions): string {
    const scopeInstanceId = scopeInstanceFor(
      this.run,
      scopeId,
      elementId,
      options.ancestorActivityInstanceId,
      this.skipIoMappings,
    );
    if (options.variables !== undefined) applyVariables(this.run, scopeInstanceId, options.variables, false);
    return scopeInstanceId;
  }
}

/**
 * The one sequence flow a start after `nodeId` takes (Camunda's `ActivityAfterInstantiationCmd`).
 * @throws NotValidException for an unknown node (unprefixed); ProcessEngineException when the node
 * has no or more than one outgoing flow.
 */
export function singleOutgoingFlow(model: ProcessModel, nodeId: string): string {
  const node = model.nodes.get(nodeId);
  if (node === undefined)
    throw new NotValidException(`Activity '${nodeId}' does not exist: activity is null`);
  const [flowId, ...others] = node.outgoing;
  if (flowId === undefined) {
    throw new ProcessEngineException(
      `Cannot start after activity ${nodeId}; activity has no outgoing sequence flow to take`,
    );
  }
  if (others.length > 0) {
    throw new ProcessEngineException(
      `Cannot start after activity ${nodeId}; activity has more than one outgoing sequence flow`,
    );
  }
  return flowId;
}
