/**
 * Moves tokens until every path rests in a wait state or has ended.
 *
 * Work is a stack of "enter node N in scope instance S" / "take flow F in S" items, run depth first
 * in document order like Camunda's synchronous continuation. Two decisions are deferred until the
 * stack is empty (quiescence), because only then no token is in transit:
 * - a scope instance left without children completes (the root: the process instance completes; a
 *   sub-process: it is left through its outgoing flows);
 * - an inclusive join fires once no other token of its scope instance can still reach it.
 * Work items whose scope instance has meanwhile ended (terminated, interrupted) are dropped.
 */
import {
  createActivityInstance,
  discardEventScopes,
  removeActivityInstance,
  removeActivityTree,
  requireParent,
} from './activity-lifecycle';
import {
  compensationRunning,
  endCompensationInstance,
  isCompensationThrow,
  leaveThrow,
  recordCompensable,
} from './compensation';
import { parkToken, removeParkedToken, removeParkedTokens, takeParkedVariables } from './async-continuations';
import type { ActivityEndReason } from '../state/engine-effects';
import type { EngineRun } from './engine-run';
import { ProcessEngineException } from '../errors';
import { flowsLeavingActivity } from './flow-selection';
import { activateReadyInclusiveJoin } from './gateway-joins';
import type { ActivityInstance, AsyncJob, InstanceStatus } from '../state/instance-state';
import { runInputMappings, runOutputMappings, removeTreeWithOutputs } from './io-mappings';
import { continueAfterInner, countInnerCompletion, type InnerCompletion } from './multi-instance';
import { dispatchVariableEvents, evaluateOnEntry, forgetEnteringScopeEvents } from './conditional-events';
import { executeNode } from './node-behaviors';
import type { VariableMap } from '../state/typed-value';
import { applyVariables } from '../state/variables';

/**
 * Work to do; `localVariables` are set on the new activity instance before its behaviour runs, after
 * its input mappings unless `skipIoMappings` (a token that parks before an asyncBefore node keeps them
 * on its transition instance's execution instead, until its job runs). `resumed`: the token comes out
 * of an asyncBefore transition instance, so the node is entered now.
 */
type Work = (
  | {
      readonly kind: 'enter';
      readonly nodeId: string;
      readonly resumed?: boolean;
      /** A catch event whose trigger already fired: it passes on instead of waiting. */
      readonly triggered?: boolean;
      /** A compensation handler started for this compensation throw instance. */
      readonly compensationThrowId?: string;
    }
  | { readonly kind: 'take'; readonly flowId: string }
  /** Work of a behaviour that needs its own step (compensation), run while its scope instance lives. */
  | { readonly kind: 'call'; readonly call: () => void }
) & {
  readonly scopeInstanceId: string;
  readonly localVariables?: VariableMap;
  readonly skipIoMappings?: boolean;
};

export interface RunnerOptions {
  /**
   * Keep the root alive when it runs out of children (modification: the instance is decided only
   * after the last instruction, see {@link TokenRunner.settleRoot}). Default: end it at once.
   */
  readonly preserveRoot: boolean;
}

/** A process that loops through pass-through elements forever would otherwise never return. */
const MAX_STEPS = 100_000;

/** The token machinery of one session; see the module comment for the order work is done in. */
export class TokenRunner {
  private readonly work: Work[] = [];
  private readonly scopesToCheck = new Set<string>();
  private joinsToCheck = false;
  /** How the preserved root last became empty: by completing normally, or by cancellation. */
  private rootEmptiedBy: 'completion' | 'cancellation' = 'cancellation';

  constructor(
    readonly run: EngineRun,
    private readonly options: RunnerOptions = { preserveRoot: false },
  ) {}

  /**
   * Schedules entering `nodeId` inside the scope instance `scopeInstanceId` (which must be an instance
   * of the node's flow scope). `localVariables` go on the node's new activity instance;
   * `skipIoMappings` skips the node's input mappings (only this node's, not those of later nodes).
   */
  enterNode(
    scopeInstanceId: string,
    nodeId: string,
    localVariables?: VariableMap,
    skipIoMappings = false,
  ): void {
    this.work.push({ kind: 'enter', scopeInstanceId, nodeId, localVariables, skipIoMappings });
  }

  /**
   * Schedules entering the catch event `nodeId` whose trigger has fired already (an event after an
   * event-based gateway): its instance is created and left at once, never asynchronously.
   */
  enterTriggered(scopeInstanceId: string, nodeId: string): void {
    this.work.push({ kind: 'enter', scopeInstanceId, nodeId, resumed: true, triggered: true });
  }

  /**
   * Schedules starting the compensation handler `nodeId` in `scopeInstanceId` for the compensation
   * throw instance `throwId` (its asynchronous continuations are not honoured).
   */
  enterCompensationHandler(scopeInstanceId: string, nodeId: string, throwId: string): void {
    this.work.push({ kind: 'enter', scopeInstanceId, nodeId, resumed: true, compensationThrowId: throwId });
  }

  /** Schedules `call` as one step of its own, dropped if `scopeInstanceId` has ended by then. */
  schedule(scopeInstanceId: string, call: () => void): void {
    this.work.push({ kind: 'call', scopeInstanceId, call });
  }

  /** Schedules taking `flowId` (entering its target) inside the scope instance `scopeInstanceId`. */
  takeFlow(
    scopeInstanceId: string,
    flowId: string,
    localVariables?: VariableMap,
    skipIoMappings = false,
  ): void {
    this.work.push({ kind: 'take', scopeInstanceId, flowId, localVariables, skipIoMappings });
  }

  /**
   * Runs all scheduled work and everything it causes, until every token waits or has ended.
   * @throws ProcessEngineException from element behaviour (no flow selectable, bad expression, …).
   */
  runToWaitStates(): void {
    for (let steps = 0; ; steps++) {
      if (steps > MAX_STEPS) {
        throw new ProcessEngineException(
          `Process instance '${this.run.draft.header.id}' did not reach a wait state within ${MAX_STEPS} steps`,
        );
      }
      if (this.run.variableEvents.length > 0) {
        dispatchVariableEvents(this);
        continue;
      }
      const next = this.work.pop();
      if (next !== undefined) this.perform(next);
      else if (!this.evaluateEnteredScope() && !this.completeNextEmptyScope() && !this.activateJoin()) return;
    }
  }

  /**
   * Completes `instance` (running its output mappings) and continues along `flowIds` in its scope
   * instance (none: the token ends). After an asyncAfter activity each token instead parks in a
   * transition instance (one per flow).
   */
  leave(instance: ActivityInstance, flowIds: readonly string[]): void {
    // Variable changes of the activity (e.g. a task completed with variables) reach conditional
    // events before it is left, as Camunda dispatches them on leaving; one may end it first.
    if (this.run.variableEvents.length > 0) {
      dispatchVariableEvents(this);
      if (this.run.draft.instance(instance.id) === undefined) return;
    }
    const scopeInstanceId = requireParent(instance);
    runOutputMappings(this.run, instance);
    if (instance.compensationThrowId !== undefined && instance.compensationThrowId !== null) {
      endCompensationInstance(this, instance);
      return;
    }
    const node = this.run.node(instance.activityId);
    recordCompensable(this.run, instance, node);
    // An inner instance of a multi-instance body is counted while its loop variables still exist.
    const innerCompletion =
      node.asyncAfter || flowIds.length > 0
        ? undefined
        : countInnerCompletion(this.run, scopeInstanceId, instance.id);
    removeActivityInstance(this.run, instance, 'completed');
    this.joinsToCheck = true;
    if (node.asyncAfter) {
      if (flowIds.length === 0) parkToken(this.run, scopeInstanceId, node, 'after', null);
      for (const flowId of flowIds) parkToken(this.run, scopeInstanceId, node, 'after', flowId);
      return;
    }
    if (flowIds.length === 0) {
      this.tokenEnded(scopeInstanceId, innerCompletion);
      return;
    }
    for (let index = flowIds.length - 1; index >= 0; index--) {
      this.takeFlow(scopeInstanceId, flowIds[index] as string);
    }
  }

  /**
   * Continues the token of an asynchronous continuation whose job runs now: removes the job, then
   * enters its activity (asyncBefore; the variables of the transition instance's execution become
   * local variables of the new activity instance) or takes its flow (asyncAfter; no flow: the token
   * ends there).
   */
  resume(job: AsyncJob): void {
    this.run.draft.asyncJobs.remove(job.id);
    this.joinsToCheck = true;
    const localVariables = takeParkedVariables(this.run, job);
    if (job.direction === 'before') {
      this.work.push({
        kind: 'enter',
        scopeInstanceId: job.activityInstanceId,
        nodeId: job.activityId,
        resumed: true,
        localVariables,
      });
    } else if (job.flowId !== null) this.takeFlow(job.activityInstanceId, job.flowId);
    else {
      const scopeId = job.activityInstanceId;
      this.tokenEnded(scopeId, countInnerCompletion(this.run, scopeId, scopeId));
    }
  }

  /** Marks a scope instance to be completed at quiescence if it has no children left by then. */
  checkScope(scopeInstanceId: string): void {
    this.scopesToCheck.add(scopeInstanceId);
  }

  /** A token ended inside `scopeInstanceId`; a multi-instance body decides itself what follows. */
  private tokenEnded(scopeInstanceId: string, innerCompletion: InnerCompletion | undefined): void {
    if (innerCompletion === undefined) this.scopesToCheck.add(scopeInstanceId);
    else continueAfterInner(this, innerCompletion);
  }

  /**
   * Removes a transition instance without running its job (modification's cancellation). Never
   * completes or cancels the scope it waited in.
   */
  cancelParked(job: AsyncJob): void {
    removeParkedToken(this.run, job);
    this.joinsToCheck = true;
  }

  /**
   * Cancels `instance` with its descendants, running their output mappings (deepest first) unless
   * `skipIoMappings`. Never completes the parent scope.
   */
  cancel(instance: ActivityInstance, reason: ActivityEndReason, skipIoMappings = false): void {
    if (skipIoMappings) removeActivityTree(this.run, instance, reason);
    else removeTreeWithOutputs(this.run, instance, reason);
    this.joinsToCheck = true;
  }

  /**
   * Completes a scope instance right now: the root ends the process instance (COMPLETED); a
   * sub-process instance is left through its outgoing flows, chosen in its parent scope.
   */
  completeScope(scope: ActivityInstance): void {
    if (scope.parentId === null) {
      this.endProcess('COMPLETED', null);
      return;
    }
    if (scope.compensationThrowId !== undefined && scope.compensationThrowId !== null) {
      this.leave(scope, []);
      return;
    }
    const flows = flowsLeavingActivity(this.run, this.run.node(scope.activityId), scope.parentId);
    this.leave(scope, flows);
  }

  /** The root lost its last child by cancellation: end the instance, unless it is preserved. */
  rootEmptiedByCancellation(): void {
    if (this.options.preserveRoot) this.rootEmptiedBy = 'cancellation';
    else this.endProcess('EXTERNALLY_TERMINATED', null);
  }

  /**
   * For a preserved root: once all instructions ran, an empty root ends the instance, COMPLETED if
   * it emptied by reaching its end, EXTERNALLY_TERMINATED if by cancellation.
   */
  settleRoot(): void {
    const root = this.run.draft.root;
    if (root === undefined || this.run.draft.hasChildren(root.id)) return;
    this.endProcess(this.rootEmptiedBy === 'completion' ? 'COMPLETED' : 'EXTERNALLY_TERMINATED', null);
  }

  /**
   * Ends the process instance: cancels what is left (reason `terminated` for a completion, `canceled`
   * otherwise), removes the root (keeping the process variables) and drops all pending work.
   */
  endProcess(state: Exclude<InstanceStatus, 'ACTIVE'>, deleteReason: string | null): void {
    const { draft } = this.run;
    const root = draft.root;
    if (root === undefined) return;
    const reason: ActivityEndReason = state === 'COMPLETED' ? 'terminated' : 'canceled';
    // A terminate end event destroys the other scopes as Camunda does, with their output mappings;
    // deleting the instance does not run them (see the README).
    for (const child of draft.childrenOf(root.id)) {
      if (state === 'COMPLETED') removeTreeWithOutputs(this.run, child, reason);
      else removeActivityTree(this.run, child, reason);
    }
    removeParkedTokens(this.run, root.id);
    // The root's own triggers (event sub-process start events) go with it; its variables stay.
    draft.subscriptions.removeOwnedBy(root.id);
    discardEventScopes(this.run, root.id);
    for (const job of draft.jobs.removeOwnedBy(root.id)) {
      this.run.emit({ type: 'timerCancelled', jobId: job.id });
    }
    draft.activityInstances.remove(root.id);
    draft.header.state = state;
    draft.header.endTime = this.run.now;
    this.work.length = 0;
    this.scopesToCheck.clear();
    this.run.emit({
      type: 'processEnded',
      processInstanceId: draft.header.id,
      state,
      deleteReason,
      time: this.run.now,
    });
  }

  private perform(work: Work): void {
    const scope = this.run.draft.instance(work.scopeInstanceId);
    if (scope === undefined) return;
    if (work.kind === 'call') {
      work.call();
      return;
    }
    const nodeId = work.kind === 'enter' ? work.nodeId : this.run.flow(work.flowId).targetId;
    const node = this.run.node(nodeId);
    if (node.asyncBefore && !(work.kind === 'enter' && work.resumed === true)) {
      parkToken(this.run, scope.id, node, 'before', null, work.localVariables);
      return;
    }
    const created = createActivityInstance(this.run, scope.id, node);
    const instance =
      work.kind === 'enter' && work.compensationThrowId !== undefined
        ? { ...created, compensationThrowId: work.compensationThrowId }
        : created;
    if (instance !== created) this.run.draft.activityInstances.add(instance);
    // The loop variables of a multi-instance inner instance are visible to its input mappings.
    const loopScoped = scope.activityType === 'multiInstanceBody';
    const { localVariables } = work;
    if (loopScoped && localVariables !== undefined)
      applyVariables(this.run, instance.id, localVariables, true);
    if (work.skipIoMappings !== true) runInputMappings(this.run, instance);
    if (!loopScoped && localVariables !== undefined)
      applyVariables(this.run, instance.id, localVariables, true);
    if (this.run.variableEvents.length > 0) forgetEnteringScopeEvents(this.run, instance.id);
    if (work.kind === 'enter' && work.triggered === true) {
      this.leave(instance, flowsLeavingActivity(this.run, node, instance.id));
      return;
    }
    executeNode(this, instance, node);
  }

  /** Evaluates the conditional events of the next scope instance created around a started element. */
  private evaluateEnteredScope(): boolean {
    const scopeId = this.run.scopesToEvaluate.shift();
    if (scopeId === undefined) return false;
    const scope = this.run.draft.instance(scopeId);
    if (scope !== undefined) evaluateOnEntry(this, scope);
    return true;
  }

  private completeNextEmptyScope(): boolean {
    const [scopeId] = this.scopesToCheck;
    if (scopeId === undefined) return false;
    this.scopesToCheck.delete(scopeId);
    const scope = this.run.draft.instance(scopeId);
    if (scope === undefined || this.run.draft.hasChildren(scopeId)) return true;
    if (isCompensationThrow(this.run, scope)) {
      if (!compensationRunning(this.run, scope.id)) leaveThrow(this, scope);
      return true;
    }
    if (scope.parentId === null && this.options.preserveRoot) this.rootEmptiedBy = 'completion';
    else this.completeScope(scope);
    return true;
  }

  private activateJoin(): boolean {
    if (!this.joinsToCheck) return false;
    this.joinsToCheck = false;
    return activateReadyInclusiveJoin(this);
  }
}
