/**
 * Compensation relations of a deployed model, as Camunda's `ActivityImpl.findCompensationHandler`
 * and `CompensationUtil` read them.
 */
import type { BoundaryEvent, FlowNode, ProcessModel, SubProcess } from './model';

/**
 * The compensation boundary event of an activity: attached to the activity itself, or for the inner
 * activity of a multi-instance body, to the body (which carries the activity's boundary events).
 */
export function compensationBoundaryOf(model: ProcessModel, node: FlowNode): BoundaryEvent | undefined {
  if (node.kind === 'multiInstanceBody') return undefined;
  const scope = model.nodes.get(node.scopeId);
  const hostId = scope?.kind === 'multiInstanceBody' ? scope.id : node.id;
  for (const id of model.boundaryEventsOf.get(hostId) ?? []) {
    const event = model.nodes.get(id);
    if (event?.kind === 'boundaryEvent' && event.trigger.type === 'compensate') return event;
  }
  return undefined;
}

/** The compensation event sub-process of a sub-process, if it has one. */
export function compensationEventSubProcessOf(model: ProcessModel, node: FlowNode): SubProcess | undefined {
  if (node.kind !== 'subProcess') return undefined;
  for (const id of model.eventSubProcessesOf.get(node.id) ?? []) {
    const esp = model.nodes.get(id);
    const start = esp?.kind === 'subProcess' ? model.nodes.get(esp.startEventId) : undefined;
    if (esp?.kind === 'subProcess' && start?.kind === 'startEvent' && start.trigger?.type === 'compensate') {
      return esp;
    }
  }
  return undefined;
}

/**
 * The activity that compensates `node` once it has completed: the handler its compensation boundary
 * event is associated with, else (a sub-process) its compensation event sub-process; `null` if none.
 */
export function compensationHandlerOf(model: ProcessModel, node: FlowNode): string | null {
  return (
    compensationBoundaryOf(model, node)?.compensationHandlerId ??
    compensationEventSubProcessOf(model, node)?.id ??
    null
  );
}

/**
 * The `activityId` of the subscriptions an `activityRef` throw compensates (Camunda's
 * `getSubscriptionActivityId`): a multi-instance activity's body, else the activity's handler, else
 * the activity itself (a sub-process without handler).
 */
export function compensationSubscriptionActivityId(model: ProcessModel, activityRef: string): string {
  const node = model.nodes.get(activityRef);
  if (node === undefined) return activityRef;
  const scope = model.nodes.get(node.scopeId);
  if (scope?.kind === 'multiInstanceBody') return scope.id;
  return compensationHandlerOf(model, node) ?? activityRef;
}

/** True for a compensation event sub-process. */
export function isCompensationEventSubProcess(model: ProcessModel, node: FlowNode): boolean {
  if (node.kind !== 'subProcess' || !node.triggeredByEvent) return false;
  const start = model.nodes.get(node.startEventId);
  return start?.kind === 'startEvent' && start.trigger?.type === 'compensate';
}

/** True for a compensation throw event, or a cancel end event (which compensates its transaction). */
export function throwsCompensation(node: FlowNode | undefined): boolean {
  return (
    (node?.kind === 'endEvent' || node?.kind === 'intermediateThrowEvent') &&
    (node.result.type === 'compensate' || node.result.type === 'cancel')
  );
}
