/**
 * What migration needs to know about a flow node, in Camunda's terms: its behaviour class (two
 * activities are compatible when they share it), which kinds may be migrated at all, and which
 * persistent event triggers (subscriptions, timer jobs) it declares.
 */
import {
  eventBasedGatewayBefore,
  isCompensationEventSubProcess,
  isWaitTrigger,
  type WaitTrigger,
  type FlowNode,
  type PassThroughTask,
  type ProcessModel,
  type ThrowResult,
} from '@libs/bpmn';
import { activityTypeOf } from '../execution/activity-types';
import { assertNever } from '@libs/bpmn';

/**
 * The simple name of Camunda's activity-behaviour class for `node`. External tasks of any element
 * type share `ExternalTaskActivityBehavior`, so a send task may be mapped to a service task.
 */
export function behaviorOf(node: FlowNode): string {
  switch (node.kind) {
    case 'startEvent':
      if (node.trigger === null) return 'NoneStartEventActivityBehavior';
      return isConditionalEvent(node)
        ? 'EventSubProcessStartConditionalEventActivityBehavior'
        : 'EventSubProcessStartEventActivityBehavior';
    case 'endEvent':
      return isExternalMessageThrow(node) ? 'ExternalTaskActivityBehavior' : END_BEHAVIORS[node.result.type];
    case 'intermediateThrowEvent':
      return isExternalMessageThrow(node)
        ? 'ExternalTaskActivityBehavior'
        : INTERMEDIATE_THROW_BEHAVIORS[node.result.type];
    case 'eventBasedGateway':
      return 'EventBasedGatewayActivityBehavior';
    case 'userTask':
      return 'UserTaskActivityBehavior';
    case 'receiveTask':
      return 'ReceiveTaskActivityBehavior';
    case 'externalTask':
      return 'ExternalTaskActivityBehavior';
    case 'task':
      return passThroughBehavior(node.elementType);
    case 'subProcess':
      return 'SubProcessActivityBehavior';
    case 'callActivity':
      return 'CallActivityBehavior';
    case 'exclusiveGateway':
      return 'ExclusiveGatewayActivityBehavior';
    case 'inclusiveGateway':
      return 'InclusiveGatewayActivityBehavior';
    case 'parallelGateway':
      return 'ParallelGatewayActivityBehavior';
    case 'intermediateCatchEvent':
      return isConditionalEvent(node)
        ? 'IntermediateConditionalEventBehavior'
        : 'IntermediateCatchEventActivityBehavior';
    case 'boundaryEvent':
      if (node.trigger.type === 'cancel') return 'CancelBoundaryEventActivityBehavior';
      return isConditionalEvent(node)
        ? 'BoundaryConditionalEventActivityBehavior'
        : 'BoundaryEventActivityBehavior';
    case 'multiInstanceBody':
      return node.sequential
        ? 'SequentialMultiInstanceActivityBehavior'
        : 'ParallelMultiInstanceActivityBehavior';
    default:
      return assertNever(node);
  }
}

/** Whether `node` is a conditional event (Camunda's `ConditionalEventBehavior`s). */
export function isConditionalEvent(node: FlowNode): boolean {
  return (
    (node.kind === 'boundaryEvent' || node.kind === 'intermediateCatchEvent' || node.kind === 'startEvent') &&
    node.trigger?.type === 'conditional'
  );
}

/** A message throw or end event that waits for an external task (`camunda:type="external"`). */
function isExternalMessageThrow(node: { readonly result: ThrowResult }): boolean {
  return node.result.type === 'message' && node.result.externalTask !== null;
}

const END_BEHAVIORS: Readonly<Record<ThrowResult['type'], string>> = {
  none: 'NoneEndEventActivityBehavior',
  terminate: 'TerminateEndEventActivityBehavior',
  message: 'NoneEndEventActivityBehavior',
  signal: 'SignalEndEventActivityBehavior',
  error: 'ErrorEndEventActivityBehavior',
  escalation: 'ThrowEscalationEventActivityBehavior',
  compensate: 'CompensationEventActivityBehavior',
  cancel: 'CancelEndEventActivityBehavior',
};

const INTERMEDIATE_THROW_BEHAVIORS: Readonly<Record<ThrowResult['type'], string>> = {
  none: 'IntermediateThrowNoneEventActivityBehavior',
  terminate: 'IntermediateThrowNoneEventActivityBehavior',
  message: 'IntermediateThrowNoneEventActivityBehavior',
  signal: 'ThrowSignalEventActivityBehavior',
  error: 'IntermediateThrowNoneEventActivityBehavior',
  escalation: 'ThrowEscalationEventActivityBehavior',
  compensate: 'CompensationEventActivityBehavior',
  cancel: 'IntermediateThrowNoneEventActivityBehavior',
};

function passThroughBehavior(elementType: PassThroughTask['elementType']): string {
  switch (elementType) {
    case 'task':
      return 'TaskActivityBehavior';
    case 'manualTask':
      return 'ManualTaskActivityBehavior';
    case 'serviceTask':
    case 'sendTask':
      return 'ServiceTaskExpressionActivityBehavior';
    case 'scriptTask':
      return 'ScriptTaskActivityBehavior';
    case 'businessRuleTask':
      return 'DmnBusinessRuleTaskActivityBehavior';
    default:
      return assertNever(elementType);
  }
}

/**
 * The event type compared by the "same event type" rule (`boundaryTimer`, `intermediateTimer`, …),
 * or `null` for nodes that are not catching events.
 */
export function eventTypeOf(node: FlowNode): string | null {
  return node.kind === 'boundaryEvent' ||
    node.kind === 'intermediateCatchEvent' ||
    (node.kind === 'startEvent' && node.trigger !== null)
    ? activityTypeOf(node)
    : null;
}

/**
 * Kinds whose activity instances can be migrated (Camunda's `SupportedActivityValidator` list,
 * restricted to what this engine runs).
 */
export function supportsInstanceMigration(node: FlowNode): boolean {
  switch (node.kind) {
    case 'subProcess':
    case 'multiInstanceBody':
    case 'callActivity':
    case 'userTask':
    case 'receiveTask':
    case 'externalTask':
    case 'parallelGateway':
    case 'inclusiveGateway':
    case 'intermediateCatchEvent':
    case 'eventBasedGateway':
      return true;
    case 'boundaryEvent':
      // `CancelBoundaryEventActivityBehavior` is not on Camunda's list.
      return node.trigger.type !== 'cancel';
    case 'startEvent':
      // An event sub-process's start event (`EventSubProcessStartEventActivityBehavior`).
      return node.trigger !== null;
    case 'endEvent':
    case 'intermediateThrowEvent':
      // A service-task-like message event runs Camunda's `ExternalTaskActivityBehavior`.
      return isExternalMessageThrow(node);
    default:
      return false;
  }
}

/**
 * Whether plan generation may map `node`: a supported kind, or an asynchronous activity; never a
 * compensation handler (Camunda's `NoCompensationHandlerActivityValidator`; a compensation event
 * sub-process is one too).
 */
export function isGeneratable(model: ProcessModel, node: FlowNode): boolean {
  if (node.isForCompensation || isCompensationEventSubProcess(model, node)) return false;
  return supportsInstanceMigration(node) || node.asyncBefore || node.asyncAfter;
}

/**
 * Whether `node` defines a persistent event trigger (a subscription or a timer job), the condition
 * for `updateEventTrigger`: catching events, receive tasks and event sub-process start events.
 */
export function definesPersistentEventTrigger(node: FlowNode): boolean {
  switch (node.kind) {
    case 'receiveTask':
      return true;
    case 'boundaryEvent':
    case 'intermediateCatchEvent':
    case 'startEvent':
      // Errors and escalations are caught, not waited for: nothing is stored for them.
      return node.trigger !== null && isWaitTrigger(node.trigger);
    default:
      return false;
  }
}

/**
 * The activity whose instance owns the trigger of `node` (Camunda's event scope): the host of a
 * boundary event, the event-based gateway an intermediate catch event follows, the node itself for a
 * receive task or another intermediate catch event, the scope around the event sub-process of a
 * triggered start event (the process id at top level), else `null`.
 */
export function triggerOwnerOf(model: ProcessModel, node: FlowNode): string | null {
  switch (node.kind) {
    case 'boundaryEvent':
      return node.attachedToId;
    case 'intermediateCatchEvent':
      return eventBasedGatewayBefore(model, node) ?? node.id;
    case 'receiveTask':
      return node.id;
    case 'startEvent': {
      const eventSubProcess = node.trigger === null ? undefined : model.nodes.get(node.scopeId);
      return eventSubProcess?.kind === 'subProcess' && eventSubProcess.triggeredByEvent
        ? eventSubProcess.scopeId
        : null;
    }
    default:
      return null;
  }
}

/** A trigger an activity instance of some element owns: its own wait, or a boundary event's. */
export interface TriggerDeclaration {
  readonly eventId: string;
  readonly trigger: WaitTrigger;
}

/**
 * The triggers an instance of `activityId` (the process id: the root) owns while it waits: its own
 * first, then its boundary events', then the start events' of the event sub-processes it contains.
 */
export function triggersDeclaredBy(model: ProcessModel, activityId: string): TriggerDeclaration[] {
  const declarations: TriggerDeclaration[] = [];
  const node = model.nodes.get(activityId);
  if (node?.kind === 'receiveTask') {
    declarations.push({ eventId: node.id, trigger: { type: 'message', messageName: node.messageName } });
  }
  if (
    node?.kind === 'intermediateCatchEvent' &&
    isWaitTrigger(node.trigger) &&
    eventBasedGatewayBefore(model, node) === null
  ) {
    declarations.push({ eventId: node.id, trigger: node.trigger });
  }
  if (node?.kind === 'eventBasedGateway') {
    for (const flowId of node.outgoing) {
      const event = model.nodes.get(model.flows.get(flowId)?.targetId ?? '');
      if (event?.kind === 'intermediateCatchEvent' && isWaitTrigger(event.trigger)) {
        declarations.push({ eventId: event.id, trigger: event.trigger });
      }
    }
  }
  for (const eventId of model.boundaryEventsOf.get(activityId) ?? []) {
    const event = model.nodes.get(eventId);
    if (event?.kind === 'boundaryEvent' && isWaitTrigger(event.trigger)) {
      declarations.push({ eventId, trigger: event.trigger });
    }
  }
  for (const eventSubProcessId of model.eventSubProcessesOf.get(activityId) ?? []) {
    const eventSubProcess = model.nodes.get(eventSubProcessId);
    const start =
      eventSubProcess?.kind === 'subProcess' ? model.nodes.get(eventSubProcess.startEventId) : undefined;
    if (start?.kind === 'startEvent' && start.trigger !== null && isWaitTrigger(start.trigger)) {
      declarations.push({ eventId: start.id, trigger: start.trigger });
    }
  }
  return declarations;
}

/** The flow scopes enclosing `node`, innermost first, ending with the process id. */
export function flowScopesOf(model: ProcessModel, node: FlowNode): string[] {
  const scopes: string[] = [];
  for (let scopeId = node.scopeId; ;) {
    scopes.push(scopeId);
    const scope = model.nodes.get(scopeId);
    if (scope === undefined) return scopes;
    scopeId = scope.scopeId;
  }
}
