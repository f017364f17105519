/**
 * Checks that need the whole process: gateway default flows and conditions (Camunda's
 * `validateExclusiveGateway` rules) and what boundary events are attached to.
 */
import { assertNever } from './assert-never';
import type { BuildContext } from './build-context';
import type { BoundaryEvent, ExclusiveGateway, FlowNode, InclusiveGateway, SequenceFlow } from './model';
import { elementId, readElement } from './moddle-element';
import type { NodeEntry, WalkedProcess } from './process-walker';

type Flows = ReadonlyMap<string, SequenceFlow>;

/** Reports gateway problems; Camunda's warning for an implicit default flow is kept as a warning. */
export function validateGateways(walked: WalkedProcess, flows: Flows, context: BuildContext): void {
  for (const entry of walked.nodes.values()) {
    const { node } = entry;
    if (node.kind === 'exclusiveGateway' || node.kind === 'inclusiveGateway') {
      validateDefaultFlow(node, entry, walked, flows, context);
    }
    // Judged on the full set of outgoing flows only: a flow that failed to resolve is reported already.
    if (node.kind === 'exclusiveGateway' && declaredOutgoing(node.id, walked) === entry.outgoing.length) {
      validateExclusiveGateway(node, entry, flows, context);
    }
    if (node.kind === 'parallelGateway') warnAboutIgnoredConditions(node, entry, flows, context);
    if (node.kind === 'eventBasedGateway') validateEventBasedGateway(node, entry, walked, flows, context);
  }
}

/**
 * Camunda's `parseEventBasedGateway` rules: no `asyncAfter`; its flows lead to intermediate catch events
 * only, which have no other incoming flow; conditions on its flows are ignored.
 */
function validateEventBasedGateway(
  gateway: FlowNode,
  entry: NodeEntry,
  walked: WalkedProcess,
  flows: Flows,
  context: BuildContext,
): void {
  const site = { elementId: gateway.id };
  if (gateway.asyncAfter) {
    context.problems.error("'asyncAfter' not supported for eventBasedGateway elements.", site);
  }
  for (const flowId of entry.outgoing) {
    const flow = flows.get(flowId);
    if (flow === undefined) continue;
    const target = walked.nodes.get(flow.targetId);
    if (target?.node.kind !== 'intermediateCatchEvent') {
      context.problems.error(
        `Event based gateway can only be connected to elements of type intermediateCatchEvent ('${gateway.id}' leads to '${flow.targetId}')`,
        { elementId: gateway.id, relatedIds: [flow.targetId] },
      );
      continue;
    }
    if (flow.condition !== null) {
      context.problems.warning(
        `Sequence flow '${flowId}' leaves event-based gateway '${gateway.id}'; its condition is ignored`,
        { elementId: flowId, relatedIds: [gateway.id] },
      );
    }
    const others = target.incoming.filter((id) => id !== flowId);
    if (others.length > 0) {
      context.problems.error(
        `Invalid incoming sequenceflow for intermediateCatchEvent with id '${flow.targetId}' connected to an event-based gateway.`,
        { elementId: flow.targetId, relatedIds: others },
      );
    }
  }
}

function declaredOutgoing(nodeId: string, walked: WalkedProcess): number {
  return walked.flows.filter((flow) => {
    const source = readElement(flow.element, 'sourceRef');
    return source !== null && elementId(source) === nodeId;
  }).length;
}

function validateDefaultFlow(
  gateway: ExclusiveGateway | InclusiveGateway,
  entry: NodeEntry,
  walked: WalkedProcess,
  flows: Flows,
  context: BuildContext,
): void {
  const flowId = gateway.defaultFlowId;
  if (flowId === null || entry.outgoing.includes(flowId)) return;
  // A declared flow that could not be resolved has been reported already.
  if (!flows.has(flowId) && walked.flows.some((flow) => flow.id === flowId)) return;
  context.problems.error(
    `Default sequence flow '${flowId}' of gateway '${gateway.id}' is not one of its outgoing sequence flows`,
    { elementId: gateway.id, relatedIds: [flowId] },
  );
}

/** Camunda's rules: conditions decide, at most one flow may go without one, and that is the default. */
function validateExclusiveGateway(
  gateway: ExclusiveGateway,
  entry: NodeEntry,
  flows: Flows,
  context: BuildContext,
): void {
  const id = gateway.id;
  const outgoing = entry.outgoing.flatMap((flowId) => flows.get(flowId) ?? []);
  const [only] = outgoing;
  if (only === undefined) {
    context.problems.error(`Exclusive Gateway '${id}' has no outgoing sequence flows.`, { elementId: id });
    return;
  }
  if (outgoing.length === 1) {
    if (only.condition !== null) {
      context.problems.error(
        `Exclusive Gateway '${id}' has only one outgoing sequence flow ('${only.id}'). This is not allowed to have a condition.`,
        { elementId: id, relatedIds: [only.id] },
      );
    }
    return;
  }
  const isDefault = (flow: SequenceFlow) => flow.id === gateway.defaultFlowId;
  for (const flow of outgoing.filter((candidate) => isDefault(candidate) && candidate.condition !== null)) {
    context.problems.error(
      `Exclusive Gateway '${id}' has outgoing sequence flow '${flow.id}' which is the default flow but has a condition too.`,
      { elementId: id, relatedIds: [flow.id] },
    );
  }
  const unconditioned = outgoing.filter((flow) => flow.condition === null && !isDefault(flow));
  const [implicitDefault] = unconditioned;
  if (implicitDefault === undefined) return;
  if (gateway.defaultFlowId !== null || unconditioned.length > 1) {
    for (const flow of unconditioned) {
      context.problems.error(
        `Exclusive Gateway '${id}' has outgoing sequence flow '${flow.id}' without condition which is not the default flow.`,
        { elementId: id, relatedIds: [flow.id] },
      );
    }
    return;
  }
  context.problems.warning(
    `Exclusive Gateway '${id}' has outgoing sequence flow '${implicitDefault.id}' without condition which is not the default flow. ` +
      'We assume it to be the default flow, but it is bad modeling practice, better set the default flow in your gateway.',
    { elementId: id, relatedIds: [implicitDefault.id] },
  );
}

function warnAboutIgnoredConditions(
  gateway: FlowNode,
  entry: NodeEntry,
  flows: Flows,
  context: BuildContext,
): void {
  for (const flowId of entry.outgoing) {
    if ((flows.get(flowId)?.condition ?? null) === null) continue;
    context.problems.warning(
      `Sequence flow '${flowId}' leaves parallel gateway '${gateway.id}'; its condition is ignored`,
      { elementId: flowId, relatedIds: [gateway.id] },
    );
  }
}

/**
 * Checks every boundary event's attachment and returns the valid ones by the activity they are
 * attached to, in document order.
 */
export function attachBoundaryEvents(
  walked: WalkedProcess,
  context: BuildContext,
): ReadonlyMap<string, readonly string[]> {
  const attached = new Map<string, string[]>();
  for (const { node, incoming } of walked.nodes.values()) {
    if (node.kind !== 'boundaryEvent') continue;
    if (incoming.length > 0) {
      context.problems.error(`Boundary event '${node.id}' must not have incoming sequence flows`, {
        elementId: node.id,
        relatedIds: incoming,
      });
    }
    if (!isValidAttachment(node, walked, context)) continue;
    attached.set(node.attachedToId, [...(attached.get(node.attachedToId) ?? []), node.id]);
  }
  return attached;
}

function isValidAttachment(event: BoundaryEvent, walked: WalkedProcess, context: BuildContext): boolean {
  const targetId = event.attachedToId;
  if (walked.rejectedIds.has(targetId) || context.reader.droppedIds.has(targetId)) return false;
  const target = walked.nodes.get(targetId)?.node;
  const site = { elementId: event.id, relatedIds: [targetId] };
  if (target === undefined) {
    context.problems.error(`Invalid attachedToRef '${targetId}' of boundary event '${event.id}'`, site);
    return false;
  }
  if (!canCarryBoundaryEvents(target)) {
    context.problems.error(
      `Boundary event '${event.id}' is attached to '${targetId}' (${target.kind}); only tasks and sub-processes can have boundary events`,
      site,
    );
    return false;
  }
  if (target.scopeId !== event.scopeId) {
    context.problems.error(
      `Boundary event '${event.id}' must be in the same scope as '${targetId}', the activity it is attached to`,
      site,
    );
    return false;
  }
  return true;
}

function canCarryBoundaryEvents(node: FlowNode): boolean {
  switch (node.kind) {
    case 'userTask':
    case 'receiveTask':
    case 'task':
    case 'externalTask':
    case 'multiInstanceBody':
    case 'callActivity':
      return true;
    case 'subProcess':
      return !node.triggeredByEvent;
    case 'startEvent':
    case 'endEvent':
    case 'exclusiveGateway':
    case 'inclusiveGateway':
    case 'parallelGateway':
    case 'eventBasedGateway':
    case 'intermediateCatchEvent':
    case 'intermediateThrowEvent':
    case 'boundaryEvent':
      return false;
    default:
      return assertNever(node);
  }
}

/**
 * Checks that event sub-processes have no sequence flows and returns them by the scope that contains
 * them, in document order.
 */
export function collectEventSubProcesses(
  walked: WalkedProcess,
  context: BuildContext,
): ReadonlyMap<string, readonly string[]> {
  const byScope = new Map<string, string[]>();
  for (const { node, incoming, outgoing } of walked.nodes.values()) {
    if (node.kind !== 'subProcess' || !node.triggeredByEvent) continue;
    const flows = [...incoming, ...outgoing];
    if (flows.length > 0) {
      context.problems.error(
        `Event sub-process '${node.id}' must not have incoming or outgoing sequence flows`,
        { elementId: node.id, relatedIds: flows },
      );
    }
    byScope.set(node.scopeId, [...(byScope.get(node.scopeId) ?? []), node.id]);
  }
  return byScope;
}
