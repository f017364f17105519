/**
 * Instance-level operations: start, delete (cancel), variables, suspension. Each is a pure function
 * `(model, state, command, ctx) → { state, effects }`; the input state is never modified.
 */
import type { ProcessModel } from '@libs/bpmn';
import { assertNever } from '@libs/bpmn';
import {
  BadUserRequestException,
  NotValidException,
  NullValueException,
  ProcessEngineException,
} from '../errors';
import { describingFailures, performInstruction } from '../modification/instruction-runner';
import type { InstantiationInstruction } from '../modification/modification-instructions';
import type { EngineResult } from '../state/engine-effects';
import type {
  ActivityInstance,
  CallLinks,
  EngineContext,
  ProcessInstanceState,
} from '../state/instance-state';
import { evaluateOnEntry } from '../execution/conditional-events';
import { createEventSubProcessTriggers } from '../execution/event-sub-processes';
import { InstanceSession, singleOutgoingFlow, type SessionOptions } from '../state/instance-session';
import { typedValueOf, type VariableMap } from '../state/typed-value';

export interface StartInstanceCommand {
  /** The deployed definition's id, e.g. `order:2:22`; becomes the root's activity id. */
  readonly definitionId: string;
  readonly businessKey?: string | null;
  readonly tenantId?: string | null;
  /** Process variables, set on the root before the start event (or the first instruction) runs. */
  readonly variables?: VariableMap;
  /** Set when a call activity starts the instance (see {@link ProcessInstanceState.callLinks}). */
  readonly callLinks?: CallLinks;
  /** The new instance's id; default `ctx.newId()`. */
  readonly processInstanceId?: string;
  /**
   * The authenticated user starting the instance (`null`: anonymous). With `camunda:initiator` on
   * the start event, that variable is set to it (a Null value when anonymous) before `variables`.
   */
  readonly initiatorId?: string | null;
  /**
   * Start at these elements, in order, instead of at the none start event (Camunda's
   * `startBeforeActivity`/`startAfterActivity`/`startTransition` at instantiation). Default: none.
   */
  readonly startInstructions?: readonly InstantiationInstruction[];
  /**
   * Start through this start event of the process (a message, signal or timer start event that fired)
   * instead of the initial one. Ignored with `startInstructions`.
   */
  readonly startEventId?: string;
  /** Accepted for the REST contract (this engine runs no custom listeners); needs instructions. */
  readonly skipCustomListeners?: boolean;
  /**
   * Skip the input mappings of the elements the instructions start and of the scopes created for
   * them, as modification does; needs instructions. Default `false`.
   */
  readonly skipIoMappings?: boolean;
}

/**
 * Starts a process instance and runs it until every path waits or ends (an instance may complete
 * within its start). Without `startInstructions` it starts at the model's none start event; with
 * them it is instantiated at those elements (see {@link startInstanceAt}).
 * @throws BadUserRequestException ENGINE-13024 for skip flags without instructions; everything
 * {@link startInstanceAt} throws; ProcessEngineException when the run fails (no selectable flow, bad
 * expression, …).
 */
export function startInstance(
  model: ProcessModel,
  command: StartInstanceCommand,
  ctx: EngineContext,
): EngineResult {
  const instructions = command.startInstructions ?? [];
  if (instructions.length > 0) return startInstanceAt(model, command, instructions, ctx);
  if (command.skipCustomListeners === true || command.skipIoMappings === true) {
    throw new BadUserRequestException(
      'ENGINE-13024 Cannot skip custom listeners or input/output mappings when start a process instance at default start activity.',
    );
  }
  const startEventId = command.startEventId ?? model.startEventId;
  if (startEventId === null) {
    // Camunda's ProcessDefinitionImpl.createProcessInstance: a process with several message or signal
    // start events and no none start event has no initial activity.
    throw new NullValueException(
      'Cannot start process instance, initial activity where the process instance should start is null: initial is null',
    );
  }
  const session = openInstance(model, command, startEventId, ctx);
  // A conditional event sub-process whose condition holds at the start fires before the start event.
  if (evaluateOnEntry(session.runner, session.requireRunning())) {
    session.runner.enterNode(session.draft.header.id, startEventId);
  }
  session.runner.runToWaitStates();
  return session.finish();
}

/**
 * Instantiates a process at the elements `instructions` name, in order, with modification's rules
 * (Camunda's `StartProcessInstanceAtActivitiesCmd`): the root with its process variables (and
 * initiator) first, the start event not run, missing sub-process instances created around each
 * element, an asyncBefore element parked as a transition instance with its job, the instance kept
 * alive between instructions and completed at the end if nothing waits. History records the first
 * instruction's activity (a flow's target) as the start activity.
 * @throws ProcessEngineException without instructions; NotValidException "Element '<id>' does not
 * exist in process <definitionId>: targetElement is null" for an unknown first element or flow; for
 * later ones, and for start-after problems, what modification throws ("Cannot perform instruction:
 * …; …", ProcessEngineException).
 */
export function startInstanceAt(
  model: ProcessModel,
  command: StartInstanceCommand,
  instructions: readonly InstantiationInstruction[],
  ctx: EngineContext,
): EngineResult {
  const [first] = instructions;
  if (first === undefined) {
    throw new ProcessEngineException(
      'At least one instantiation instruction required (e.g. by invoking startBefore(..), startAfter(..) or startTransition(..)): instructions is empty',
    );
  }
  const session = openInstance(model, command, startActivityOf(model, command.definitionId, first), ctx, {
    preserveRoot: true,
    skipIoMappings: command.skipIoMappings ?? false,
  });
  // The process's conditional event sub-processes are evaluated once the first instruction rests.
  session.run.noteScopeEntry(session.draft.header.id);
  for (const instruction of instructions) performInstruction(session, instruction);
  return session.finish();
}

/** The activity Camunda's `determineFirstActivity` finds for the first instruction. */
function startActivityOf(model: ProcessModel, definitionId: string, first: InstantiationInstruction): string {
  const missing = (id: string) =>
    new NotValidException(`Element '${id}' does not exist in process ${definitionId}: targetElement is null`);
  switch (first.type) {
    case 'startBeforeActivity':
      if (!model.nodes.has(first.activityId)) throw missing(first.activityId);
      return first.activityId;
    case 'startAfterActivity': {
      const flowId = describingFailures(first, () => singleOutgoingFlow(model, first.activityId));
      return model.flows.get(flowId)!.targetId;
    }
    case 'startTransition': {
      const flow = model.flows.get(first.transitionId);
      if (flow === undefined) throw missing(first.transitionId);
      return flow.targetId;
    }
    default:
      return assertNever(first);
  }
}

/**
 * A session on a new instance: the root activity instance, the start in history (with
 * `startActivityId`), the initiator variable and the process variables.
 */
function openInstance(
  model: ProcessModel,
  command: StartInstanceCommand,
  startActivityId: string,
  ctx: EngineContext,
  options: SessionOptions = {},
): InstanceSession {
  const id = command.processInstanceId ?? ctx.newId();
  const root: ActivityInstance = {
    id,
    parentId: null,
    activityId: command.definitionId,
    activityType: 'processDefinition',
    executionId: id,
    startTime: ctx.now,
  };
  const session = new InstanceSession(model, emptyState(model, command, root, ctx.now), ctx, options);
  session.run.emit({ type: 'processStarted', processInstanceId: id, startActivityId, time: ctx.now });
  if (model.initiatorVariable !== null) {
    session.setVariables({ [model.initiatorVariable]: typedValueOf(command.initiatorId ?? null) });
  }
  if (command.variables !== undefined) session.setVariables(command.variables);
  createEventSubProcessTriggers(session.run, root);
  return session;
}

export interface CancelInstanceCommand {
  /** Recorded as the history delete reason. */
  readonly deleteReason?: string | null;
}

/**
 * Deletes a running instance: every activity instance ends `canceled`, tasks, jobs and subscriptions
 * are removed, the state becomes EXTERNALLY_TERMINATED. Allowed on suspended instances, as in Camunda.
 * @throws NotFoundException when the instance has already ended.
 */
export function cancelInstance(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: CancelInstanceCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  session.requireRunning();
  session.runner.endProcess('EXTERNALLY_TERMINATED', command.deleteReason ?? null);
  return session.finish();
}

export interface SetVariablesCommand {
  readonly variables: VariableMap;
  /** The activity instance to set from; default the process instance (root). */
  readonly scopeId?: string;
  /** Set on exactly `scopeId` instead of propagating to where the variable already lives. */
  readonly local?: boolean;
}

/**
 * Sets variables. Non-local: each goes to the nearest instance from `scopeId` up that already has it,
 * else to the process instance. Local: on `scopeId` itself. Tokens move only when a conditional event
 * fires.
 * @throws NotFoundException when `scopeId` is not an active activity instance.
 */
export function setVariables(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: SetVariablesCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  session.setVariables(command.variables, command.scopeId, command.local ?? false);
  return session.finish();
}

export interface RemoveVariablesCommand {
  readonly names: readonly string[];
  readonly scopeId?: string;
  readonly local?: boolean;
}

/**
 * Removes variables: the nearest visible one from `scopeId` (default root), or only on `scopeId` when
 * `local`. Unknown names are ignored.
 * @throws NotFoundException when `scopeId` is not an active activity instance.
 */
export function removeVariables(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: RemoveVariablesCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  session.removeVariables(command.names, command.scopeId, command.local ?? false);
  return session.finish();
}

export interface SetSuspensionCommand {
  readonly suspended: boolean;
}

/**
 * Suspends or activates a running instance. While suspended, tasks cannot be completed, messages
 * are not correlated, timers do not fire and modification is refused.
 * @throws NotFoundException when the instance has ended.
 */
export function setSuspension(
  model: ProcessModel,
  state: ProcessInstanceState,
  command: SetSuspensionCommand,
  ctx: EngineContext,
): EngineResult {
  const session = new InstanceSession(model, state, ctx);
  session.requireRunning();
  const { draft } = session;
  if (draft.header.suspended && !command.suspended) {
    // Activation: the jobs that waited for it may run again.
    for (const job of draft.asyncJobs.values()) {
      if (job.retries > 0) session.run.emit({ type: 'asyncJobResumed', jobId: job.id });
    }
    for (const job of draft.jobs.values()) {
      if (job.retries > 0) session.run.emit({ type: 'timerResumed', jobId: job.id, dueDate: job.dueDate });
    }
  }
  draft.header.suspended = command.suspended;
  return session.finish();
}

function emptyState(
  model: ProcessModel,
  command: StartInstanceCommand,
  root: ActivityInstance,
  now: Date,
): ProcessInstanceState {
  return {
    id: root.id,
    definitionId: command.definitionId,
    definitionKey: model.id,
    businessKey: command.businessKey ?? null,
    tenantId: command.tenantId ?? null,
    state: 'ACTIVE',
    suspended: false,
    startTime: now,
    endTime: null,
    activityInstances: [root],
    tasks: [],
    externalTasks: [],
    eventSubscriptions: [],
    jobs: [],
    asyncJobs: [],
    eventScopes: [],
    variables: [],
    ...(command.callLinks === undefined ? {} : { callLinks: command.callLinks }),
  };
}
