/**
 * Camunda's deployment rules for compensation (`BpmnParse.parseAssociations`,
 * `parseBoundaryCompensateEventDefinition`, `parseCompensationEventSubprocess`, `parseSequenceFlow`,
 * `parseThrowCompensateEventDefinition`), with its messages: a compensation boundary event is linked
 * by an `<association>` to its `isForCompensation` handler; one compensation boundary event per
 * activity; a compensation event sub-process only in an embedded sub-process, one per scope, never
 * beside a compensation boundary event; handlers have no sequence flows; a throw's `activityRef` names
 * an activity of its own scope (an event sub-process throws into its parent scope).
 */
import type { BuildContext } from './build-context';
import type { FlowNode, SequenceFlow } from './model';
import { elementId, readElement, readElements, type ModdleElement } from './moddle-element';
import type { NodeEntry, WalkedProcess } from './process-walker';

/** An `<association>` between two elements, by id. */
export interface Association {
  readonly sourceId: string;
  readonly targetId: string;
}

/** The associations of a process or sub-process element (its `artifacts`). */
export function readAssociations(container: ModdleElement): Association[] {
  return readElements(container, 'artifacts').flatMap((artifact) => {
    if (artifact.$type !== 'bpmn:Association') return [];
    const source = readElement(artifact, 'sourceRef');
    const target = readElement(artifact, 'targetRef');
    const sourceId = source === null ? null : elementId(source);
    const targetId = target === null ? null : elementId(target);
    return sourceId === null || targetId === null ? [] : [{ sourceId, targetId }];
  });
}

/**
 * Sets `compensationHandlerId` on each compensation boundary event an association links to an
 * activity, reporting a link to an activity that is not `isForCompensation`.
 */
export function linkCompensationHandlers(
  nodes: Map<string, NodeEntry>,
  associations: readonly Association[],
  context: BuildContext,
): void {
  for (const { sourceId, targetId } of associations) {
    const entry = nodes.get(sourceId);
    const target = nodes.get(targetId)?.node;
    if (entry?.node.kind !== 'boundaryEvent' || entry.node.trigger.type !== 'compensate') continue;
    if (target === undefined) continue;
    if (!target.isForCompensation) {
      context.problems.error(
        'compensation boundary catch must be connected to element with isForCompensation=true',
        { elementId: sourceId, relatedIds: [targetId] },
      );
      continue;
    }
    nodes.set(sourceId, { ...entry, node: { ...entry.node, compensationHandlerId: targetId } });
  }
}

/** Reports every compensation construct Camunda refuses to deploy. */
export function checkCompensation(
  walked: WalkedProcess,
  flows: ReadonlyMap<string, SequenceFlow>,
  processId: string,
  boundaryEventsOf: ReadonlyMap<string, readonly string[]>,
  eventSubProcessesOf: ReadonlyMap<string, readonly string[]>,
  context: BuildContext,
): void {
  const node = (id: string): FlowNode | undefined => walked.nodes.get(id)?.node;
  for (const [hostId, ids] of boundaryEventsOf) {
    const compensating = ids.filter((id) => {
      const event = node(id);
      return event?.kind === 'boundaryEvent' && event.trigger.type === 'compensate';
    });
    for (const id of compensating.slice(1)) {
      context.problems.error(
        'multiple boundary events with compensateEventDefinition not supported on same activity',
        { elementId: id, relatedIds: [hostId] },
      );
    }
    const espStarts = compensationStartsIn(hostId, eventSubProcessesOf, node);
    if (compensating.length > 0 && espStarts.length > 0) {
      context.problems.error(
        'compensation boundary event and event subprocess with compensation start event are not supported on the same scope',
        { elementId: hostId, relatedIds: [compensating[0]!] },
      );
    }
  }
  for (const [scopeId] of eventSubProcessesOf) {
    const starts = compensationStartsIn(scopeId, eventSubProcessesOf, node);
    if (scopeId === processId) {
      for (const id of starts) {
        context.problems.error(
          'event subprocess with compensation start event is only supported for embedded subprocess (since throwing compensation through a call activity-induced process hierarchy is not supported)',
          { elementId: id },
        );
      }
    }
    for (const id of starts.slice(1)) {
      context.problems.error(
        'multiple event subprocesses with compensation start event are not supported on the same scope',
        { elementId: id, relatedIds: [scopeId] },
      );
    }
  }
  checkHandlerFlows(flows, node, context);
  checkActivityRefs(walked, node, context);
}

/** The compensation start events of the event sub-processes of `scopeId`. */
function compensationStartsIn(
  scopeId: string,
  eventSubProcessesOf: ReadonlyMap<string, readonly string[]>,
  node: (id: string) => FlowNode | undefined,
): string[] {
  return (eventSubProcessesOf.get(scopeId) ?? []).flatMap((id) => {
    const esp = node(id);
    const start = esp?.kind === 'subProcess' ? node(esp.startEventId) : undefined;
    return start?.kind === 'startEvent' && start.trigger?.type === 'compensate' ? [start.id] : [];
  });
}

function checkHandlerFlows(
  flows: ReadonlyMap<string, SequenceFlow>,
  node: (id: string) => FlowNode | undefined,
  context: BuildContext,
): void {
  for (const flow of flows.values()) {
    const [end, id] = node(flow.sourceId)?.isForCompensation
      ? (['outgoing', flow.sourceId] as const)
      : node(flow.targetId)?.isForCompensation
        ? (['incoming', flow.targetId] as const)
        : [null, null];
    if (end === null) continue;
    context.problems.error(
      `Invalid ${end} sequence flow of compensation activity '${id}'. A compensation activity should not have an incoming or outgoing sequence flow.`,
      { elementId: id, relatedIds: [flow.id] },
    );
  }
}

/**
 * A throw's `activityRef` must name an activity of the throw's scope (an activity of a
 * multi-instance body counts as one of the body's scope); a throw inside an event sub-process may
 * also name one of the event sub-process's scope.
 */
function checkActivityRefs(
  walked: WalkedProcess,
  node: (id: string) => FlowNode | undefined,
  context: BuildContext,
): void {
  const levelOf = (id: string): string | undefined => {
    const scopeId = node(id)?.scopeId;
    const scope = scopeId === undefined ? undefined : node(scopeId);
    return scope?.kind === 'multiInstanceBody' ? scope.scopeId : scopeId;
  };
  for (const { node: thrower } of walked.nodes.values()) {
    if (thrower.kind !== 'endEvent' && thrower.kind !== 'intermediateThrowEvent') continue;
    if (thrower.result.type !== 'compensate') continue;
    if (!thrower.result.waitForCompletion) {
      context.problems.warning(
        "Unsupported attribute value for 'waitForCompletion': 'waitForCompletion=false' is not supported. Compensation event will wait for compensation to join.",
        { elementId: thrower.id },
      );
    }
    if (thrower.result.activityRef === null) continue;
    const ref = thrower.result.activityRef;
    let scopeId = thrower.scopeId;
    if (levelOf(ref) === scopeId) continue;
    const scope = node(scopeId);
    if (scope?.kind === 'subProcess' && scope.triggeredByEvent) scopeId = scope.scopeId;
    if (levelOf(ref) === scopeId) continue;
    context.problems.error(
      `Invalid attribute value for 'activityRef': no activity with id '${ref}' in scope '${scopeId}'`,
      { elementId: thrower.id },
    );
  }
}
