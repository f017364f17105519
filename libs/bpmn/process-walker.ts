/**
 * Walks a process and its embedded sub-processes, depth first in document order, turning flow nodes
 * into model nodes (with their scope) and collecting the sequence flows of every scope for later.
 */
import { assertNever } from './assert-never';
import { linkCompensationHandlers, readAssociations, type Association } from './compensation-rules';
import type { BuildContext } from './build-context';
import { isIgnoredElement, mapFlowElement, type NodeBase } from './flow-node-mapper';
import { readIoMapping } from './io-mapping-reader';
import { readMultiInstance } from './multi-instance-reader';
import { readRetryCycle } from './retry-cycle-reader';
import type { FlowNode, StartEvent } from './model';
import {
  elementId,
  elementName,
  readBoolean,
  readElement,
  readElements,
  readString,
  readText,
  type ModdleElement,
} from './moddle-element';

/** A node under construction: its flow lists are filled while sequence flows are resolved. */
export interface NodeEntry {
  readonly node: FlowNode;
  readonly incoming: string[];
  readonly outgoing: string[];
}

/** A sequence flow as found, with the scope it is declared in. */
export interface FlowEntry {
  readonly id: string;
  readonly element: ModdleElement;
  readonly scopeId: string;
}

/** Everything found in one process, before flows are resolved. */
export interface WalkedProcess {
  /**
   * The process's initial start event (see `noneStartEvent`); `undefined` when it has none (several
   * triggered start events only), `null` when a problem was reported.
   */
  readonly startEventId: string | null | undefined;
  /** `camunda:initiator` of that start event, `null` when not declared. */
  readonly initiatorVariable: string | null;
  readonly nodes: ReadonlyMap<string, NodeEntry>;
  readonly flows: readonly FlowEntry[];
  readonly childrenOfScope: ReadonlyMap<string, readonly string[]>;
  /** Ids of elements reported as unsupported: flows and attachments to them are not reported again. */
  readonly rejectedIds: ReadonlySet<string>;
  /** The multi-instance body that stands for a multi-instance activity in its scope's flows, by activity id. */
  readonly bodyOf: ReadonlyMap<string, string>;
  /** The link throw events (no activities), by id: their link names. */
  readonly linkSources: ReadonlyMap<string, string>;
}

interface Walk {
  readonly nodes: Map<string, NodeEntry>;
  readonly flows: FlowEntry[];
  readonly childrenOfScope: Map<string, string[]>;
  readonly rejectedIds: Set<string>;
  readonly bodyOf: Map<string, string>;
  readonly linkSources: Map<string, string>;
  /** Ids given to elements written without one. */
  readonly generatedIds: Set<string>;
  /** The `<association>`s of every scope (they link compensation boundary events to handlers). */
  readonly associations: Association[];
}

/** Walks the flow elements of `process` (whose id is `processId`) and of every nested sub-process. */
export function walkProcess(process: ModdleElement, processId: string, context: BuildContext): WalkedProcess {
  const walk: Walk = {
    nodes: new Map(),
    flows: [],
    childrenOfScope: new Map(),
    rejectedIds: new Set(),
    bodyOf: new Map(),
    linkSources: new Map(),
    generatedIds: new Set(),
    associations: [],
  };
  const startEventId = walkScope(process, processId, 'process', walk, context);
  attachToBodies(walk);
  linkCompensationHandlers(walk.nodes, walk.associations, context);
  const startEvent = readElements(process, 'flowElements').find(
    (element) => startEventId !== null && startEventId !== undefined && elementId(element) === startEventId,
  );
  const initiatorVariable = startEvent === undefined ? null : readText(startEvent, 'initiator');
  return { startEventId, initiatorVariable, ...walk };
}

/** What kind of scope is walked: its start event rules differ. */
type ScopeKind = 'process' | 'subProcess' | 'eventSubProcess';

/**
 * Walks one scope and returns the id of the start event it is entered through: the none start event
 * of a process or embedded sub-process, the triggered start event of an event sub-process (or `null`
 * after reporting why there is none).
 */
function walkScope(
  container: ModdleElement,
  scopeId: string,
  scopeKind: ScopeKind,
  walk: Walk,
  context: BuildContext,
): string | null | undefined {
  const children: string[] = [];
  walk.childrenOfScope.set(scopeId, children);
  walk.associations.push(...readAssociations(container));
  const idlessCount = new Map<string, number>();
  for (const element of readElements(container, 'flowElements')) {
    if (isIgnoredElement(element)) continue;
    const id = elementId(element) ?? generateId(element, scopeId, idlessCount, walk, context);
    if (element.$type === 'bpmn:SequenceFlow') {
      walk.flows.push({ id, element, scopeId });
    } else {
      const entry = walkFlowNode(element, id, scopeId, walk, context);
      if (entry !== null) children.push(addNode(element, entry, walk, context));
    }
  }
  return scopeKind === 'eventSubProcess'
    ? triggeredStartEvent(scopeId, children, walk, context)
    : noneStartEvent(scopeKind, scopeId, children, walk, context);
}

/**
 * Enters a walked node; a multi-instance activity enters as its body (which takes over its flow lists)
 * containing the activity. Returns the id that stands for it in its scope.
 */
function addNode(element: ModdleElement, entry: NodeEntry, walk: Walk, context: BuildContext): string {
  const { id } = entry.node;
  const parts = readMultiInstance(element, entry.node, context);
  if (parts === null) {
    walk.nodes.set(id, entry);
    return id;
  }
  walk.nodes.set(id, { node: parts.inner, incoming: [], outgoing: [] });
  walk.nodes.set(parts.body.id, { node: parts.body, incoming: entry.incoming, outgoing: entry.outgoing });
  walk.childrenOfScope.set(parts.body.id, [id]);
  walk.bodyOf.set(id, parts.body.id);
  return parts.body.id;
}

/** Boundary events attached to a multi-instance activity belong to its body, as in Camunda. */
function attachToBodies(walk: Walk): void {
  for (const [id, entry] of walk.nodes) {
    const { node } = entry;
    const bodyId = node.kind === 'boundaryEvent' ? walk.bodyOf.get(node.attachedToId) : undefined;
    if (node.kind === 'boundaryEvent' && bodyId !== undefined) {
      walk.nodes.set(id, { ...entry, node: { ...node, attachedToId: bodyId } });
    }
  }
}

function walkFlowNode(
  element: ModdleElement,
  id: string,
  scopeId: string,
  walk: Walk,
  context: BuildContext,
): NodeEntry | null {
  const incoming: string[] = [];
  const outgoing: string[] = [];
  const retryCycle = isIgnoredElement(element) ? null : readRetryCycle(element, id, context);
  const base: NodeBase = {
    ...(retryCycle === null ? {} : { retryCycle }),
    id,
    name: readString(element, 'name'),
    scopeId,
    incoming,
    outgoing,
    // `camunda:async` is the deprecated spelling of `camunda:asyncBefore`.
    asyncBefore: readBoolean(element, 'asyncBefore') === true || readBoolean(element, 'async') === true,
    asyncAfter: readBoolean(element, 'asyncAfter') === true,
    exclusive: readBoolean(element, 'exclusive') !== false,
    jobPriority: readJobPriority(element, id, context),
    line: context.locator.positionOfId(id)?.line ?? null,
    ioMapping: isIgnoredElement(element) ? null : readIoMapping(element, id, context),
    isForCompensation: readBoolean(element, 'isForCompensation') === true,
  };
  const mapped = mapFlowElement(element, base, context);
  switch (mapped.outcome) {
    case 'node':
      return { node: mapped.node, incoming, outgoing };
    case 'scope': {
      const triggeredByEvent = readBoolean(element, 'triggeredByEvent') === true;
      const scopeKind = triggeredByEvent ? 'eventSubProcess' : 'subProcess';
      const startEventId = walkScope(element, id, scopeKind, walk, context);
      if (startEventId === null || startEventId === undefined) {
        walk.rejectedIds.add(id);
        return null;
      }
      const transaction = element.$type === 'bpmn:Transaction';
      const node: FlowNode = { ...base, kind: 'subProcess', startEventId, triggeredByEvent, transaction };
      return { node, incoming, outgoing };
    }
    case 'rejected':
      walk.rejectedIds.add(id);
      return null;
    case 'linkSource':
      walk.linkSources.set(id, mapped.linkName);
      return null;
    case 'ignored':
      return null;
    default:
      return assertNever(mapped);
  }
}

/**
 * The start event a process or embedded sub-process is entered through when nothing triggers it. An
 * embedded sub-process has exactly one none start event. A process follows Camunda's `selectInitial`:
 * at most one none or timer start event (that one is the initial start event), any number of message
 * starts (with distinct message names) and signal starts (distinct signal names); without a none or
 * timer start, a single start event of any kind is the initial one, and several leave the process
 * without one (it starts only through its triggers). `undefined` for such a process, `null` after
 * reporting a problem.
 */
function noneStartEvent(
  scopeKind: Exclude<ScopeKind, 'eventSubProcess'>,
  scopeId: string,
  children: readonly string[],
  walk: Walk,
  context: BuildContext,
): string | null | undefined {
  const starts = startEventsAmong(children, walk);
  if (scopeKind === 'process') return initialStartEvent(scopeId, starts, context);
  for (const start of starts.filter((event) => event.trigger !== null)) {
    context.problems.error(
      `Sub-process '${scopeId}' has a start event '${start.id}' with a ${start.trigger?.type ?? ''} trigger; an embedded sub-process starts only through a none start event`,
      { elementId: start.id, relatedIds: [scopeId] },
    );
  }
  const none = starts.filter((event) => event.trigger === null).map((event) => event.id);
  const [first] = none;
  if (first !== undefined && none.length === 1) return first;
  const message =
    first === undefined
      ? `Sub-process '${scopeId}' has no none start event`
      : `Sub-process '${scopeId}' has ${none.length} none start events (${none.map((id) => `'${id}'`).join(', ')}); exactly one is supported`;
  context.problems.error(message, { elementId: scopeId, relatedIds: none });
  return null;
}

/** Camunda's rules for the start events of a process (see {@link noneStartEvent}). */
function initialStartEvent(
  processId: string,
  starts: readonly StartEvent[],
  context: BuildContext,
): string | null | undefined {
  if (starts.length === 0) {
    context.problems.error(`Process '${processId}' has no start event`, { elementId: processId });
    return null;
  }
  let problems = false;
  const exclusive = starts.filter((event) => event.trigger === null || event.trigger.type === 'timer');
  for (const extra of exclusive.slice(1)) {
    context.problems.error(
      `Process '${processId}' has ${exclusive.length} none or timer start events (${exclusive.map((event) => `'${event.id}'`).join(', ')}): multiple none start events or timer start events not supported on process definition`,
      { elementId: extra.id, relatedIds: [processId] },
    );
    problems = true;
  }
  for (const type of ['message', 'signal'] as const) {
    const seen = new Set<string>();
    for (const event of starts) {
      const name = eventNameOf(event, type);
      if (name === null) continue;
      if (seen.has(name)) {
        context.problems.error(
          `Cannot have more than one ${type} event subscription with name '${name}' for scope '${processId}'`,
          { elementId: event.id, relatedIds: [processId] },
        );
        problems = true;
      }
      seen.add(name);
    }
  }
  if (problems) return null;
  const [initial] = exclusive;
  if (initial !== undefined) return initial.id;
  return starts.length === 1 ? starts[0]!.id : undefined;
}

function eventNameOf(event: StartEvent, type: 'message' | 'signal'): string | null {
  const { trigger } = event;
  if (trigger?.type !== type) return null;
  return trigger.type === 'message'
    ? trigger.messageName
    : trigger.type === 'signal'
      ? trigger.signalName
      : null;
}

/** The single start event of an event sub-process, which must have a trigger. */
function triggeredStartEvent(
  scopeId: string,
  children: readonly string[],
  walk: Walk,
  context: BuildContext,
): string | null {
  const starts = startEventsAmong(children, walk);
  const [only] = starts;
  if (only === undefined || starts.length > 1) {
    context.problems.error(
      `Event sub-process '${scopeId}' has ${starts.length} start events; exactly one is required`,
      { elementId: scopeId, relatedIds: starts.map((event) => event.id) },
    );
    return null;
  }
  if (only.trigger === null) {
    context.problems.error(
      `The start event '${only.id}' of event sub-process '${scopeId}' has no event definition: an event sub-process starts only through a triggered start event`,
      { elementId: only.id, relatedIds: [scopeId] },
    );
    return null;
  }
  return only.id;
}

function startEventsAmong(children: readonly string[], walk: Walk): StartEvent[] {
  return children.flatMap((id) => {
    const node = walk.nodes.get(id)?.node;
    return node?.kind === 'startEvent' ? [node] : [];
  });
}

/**
 * An id for an element written without one, which Camunda accepts (its id is then null): a sequence
 * flow is named after its ends (`flow_<source>_<target>`), any other element after its type
 * (`<type>_<n>`), made unique among the document's ids. Said in a warning, as the id shows in trees,
 * history and error messages.
 */
function generateId(
  element: ModdleElement,
  scopeId: string,
  idlessCount: Map<string, number>,
  walk: Walk,
  context: BuildContext,
): string {
  const name = elementName(element);
  const occurrence = idlessCount.get(name) ?? 0;
  idlessCount.set(name, occurrence + 1);
  const end = (property: string) => {
    const target = readElement(element, property);
    return target === null ? 'unknown' : (elementId(target) ?? 'unknown');
  };
  const base =
    element.$type === 'bpmn:SequenceFlow'
      ? `flow_${end('sourceRef')}_${end('targetRef')}`
      : `${name}_${walk.generatedIds.size + 1}`;
  let id = base;
  for (let suffix = 2; context.locator.positionOfId(id) !== null || walk.generatedIds.has(id); suffix++) {
    id = `${base}_${suffix}`;
  }
  walk.generatedIds.add(id);
  const label = readText(element, 'name');
  const named = label === null ? '' : ` named '${label}'`;
  context.problems.warning(`Element <${name}>${named} has no id; it is given the id '${id}'`, {
    elementId: id,
    position: context.locator.positionOfIdless(scopeId, name, occurrence),
  });
  return id;
}

/**
 * `camunda:jobPriority` of an element (or process) `id`: an expression, or a constant that must be an
 * integer (Camunda refuses the deployment otherwise, with this message).
 */
export function readJobPriority(element: ModdleElement, id: string, context: BuildContext): string | null {
  const text = readText(element, 'jobPriority');
  if (text === null || /[$#]\{/.test(text)) return text;
  const value = Number(text);
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(value) || Math.abs(value) > 2_147_483_647) {
    context.problems.error(`Value '${text}' for attribute 'jobPriority' is not a valid number`, {
      elementId: id,
    });
  }
  return text;
}
