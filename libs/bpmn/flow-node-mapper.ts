/**
 * Maps one moddle flow element to a model flow node: a registry from element type to mapper, so a
 * supported type has exactly one place that reads it and anything else is rejected by name.
 */
import type { BuildContext } from './build-context';
import { readCallActivity } from './call-activity-reader';
import {
  describeElement,
  readCatchTrigger,
  readLinkName,
  readReferencedName,
  readThrowResult,
  type Owner,
} from './event-definition-reader';
import type {
  CatchTrigger,
  ConditionalTrigger,
  EventTrigger,
  ExternalTask,
  FlowNode,
  FlowNodeBase,
  PassThroughTask,
  ThrowResult,
} from './model';
import {
  elementId,
  readBoolean,
  readElement,
  readElements,
  readList,
  readText,
  type ModdleElement,
} from './moddle-element';

/** The fields every flow node shares, filled in by the caller. */
export type NodeBase = FlowNodeBase;

/**
 * What became of an element: a node, a scope to descend into, a link throw event (no activity: the
 * flows into it lead to its link's catch event), tolerated but not run, or reported.
 */
export type MappedElement =
  | { readonly outcome: 'node'; readonly node: FlowNode }
  | { readonly outcome: 'scope' }
  | { readonly outcome: 'linkSource'; readonly linkName: string }
  | { readonly outcome: 'ignored' }
  | { readonly outcome: 'rejected' };

type Mapper = (element: ModdleElement, base: NodeBase, context: BuildContext) => MappedElement;

const node = (flowNode: FlowNode): MappedElement => ({ outcome: 'node', node: flowNode });
const IGNORED: MappedElement = { outcome: 'ignored' };
const REJECTED: MappedElement = { outcome: 'rejected' };

function reject(context: BuildContext, id: string, message: string): MappedElement {
  context.problems.error(message, { elementId: id });
  return REJECTED;
}

const owner = (element: ModdleElement, base: NodeBase): Owner => ({ element, id: base.id });

const startEvent: Mapper = (element, base, context) => {
  const trigger = readCatchTrigger(owner(element, base), context);
  if (trigger === null) return REJECTED;
  const interrupting = readBoolean(element, 'isInterrupting') !== false;
  return node({ ...base, kind: 'startEvent', trigger: trigger ?? null, interrupting });
};

/** Results an intermediate throw event cannot have (they only end a path). */
const END_ONLY: ReadonlySet<ThrowResult['type']> = new Set(['terminate', 'error', 'cancel']);

const endEvent: Mapper = (element, base, context) => {
  const result = readThrowResult(owner(element, base), context);
  return result === null ? REJECTED : node({ ...base, kind: 'endEvent', result });
};

const intermediateThrowEvent: Mapper = (element, base, context) => {
  const linkName = readLinkName(owner(element, base), context);
  if (linkName !== undefined) return linkName === null ? REJECTED : { outcome: 'linkSource', linkName };
  const result = readThrowResult(owner(element, base), context);
  if (result === null) return REJECTED;
  if (END_ONLY.has(result.type)) {
    return reject(
      context,
      base.id,
      `${describeElement(owner(element, base))} cannot throw a ${result.type} event: only end events can`,
    );
  }
  return node({ ...base, kind: 'intermediateThrowEvent', result });
};

const userTask: Mapper = (element, base) =>
  node({
    ...base,
    kind: 'userTask',
    assignee: readText(element, 'assignee'),
    candidateGroups: readList(element, 'candidateGroups'),
    candidateUsers: readList(element, 'candidateUsers'),
    dueDate: readText(element, 'dueDate'),
    followUpDate: readText(element, 'followUpDate'),
    priority: readText(element, 'priority'),
  });

const receiveTask: Mapper = (element, base, context) => {
  const messageName = readReferencedName(element, 'messageRef', owner(element, base), context);
  return messageName === null ? REJECTED : node({ ...base, kind: 'receiveTask', messageName });
};

const passThrough =
  (elementType: PassThroughTask['elementType']): Mapper =>
  (_element, base) =>
    node({ ...base, kind: 'task', elementType });

/** A script task completes at once: its script does not run here (said at deployment). */
const scriptTask: Mapper = (element, base, context) => {
  context.problems.warning(
    `The script of ${describeElement(owner(element, base))} is ignored: scripts do not run here, the task completes at once`,
    { elementId: base.id },
  );
  return passThrough('scriptTask')(element, base, context);
};

/** What makes Camunda run a service-like task: without any, Camunda refuses the task at deployment. */
const IMPLEMENTATIONS = ['class', 'expression', 'delegateExpression', 'decisionRef'] as const;

/**
 * Service, send and business-rule tasks wait for a worker with `camunda:type="external"`, else pass
 * through; one without any implementation is said to complete at once (implementations it has are
 * warned about as ignored extensions).
 */
const serviceLike =
  (elementType: ExternalTask['elementType']): Mapper =>
  (element, base, context) => {
    if (readText(element, 'type')?.toLowerCase() !== 'external') {
      const extensions = readElement(element, 'extensionElements');
      const hasImplementation =
        IMPLEMENTATIONS.some((property) => readText(element, property) !== null) ||
        (extensions !== null &&
          readElements(extensions, 'values').some((value) => value.$type === 'camunda:Connector'));
      if (!hasImplementation) {
        context.problems.warning(
          `${describeElement(owner(element, base))} has no implementation this service runs (only camunda:type="external" waits for a worker): it completes at once`,
          { elementId: base.id },
        );
      }
      return passThrough(elementType)(element, base, context);
    }
    const topic = readText(element, 'topic');
    if (topic === null) {
      return reject(
        context,
        base.id,
        `External task ${describeElement(owner(element, base))} has no camunda:topic`,
      );
    }
    const priority = readText(element, 'taskPriority');
    return node({ ...base, kind: 'externalTask', elementType, topic, priority });
  };

/** Embedded sub-processes, event sub-processes (`triggeredByEvent`) and transactions are walked as scopes. */
const subProcess: Mapper = () => ({ outcome: 'scope' });

/** The gateway's `default` flow id, resolved or not: the validator checks it is an outgoing flow. */
function defaultFlowId(element: ModdleElement, context: BuildContext): string | null {
  const flow = readElement(element, 'default');
  return flow === null ? context.reader.unresolvedRef(element, 'default') : elementId(flow);
}

/** The trigger kinds an intermediate catch event may wait for. */
function isIntermediateTrigger(trigger: CatchTrigger): trigger is EventTrigger | ConditionalTrigger {
  return ['message', 'signal', 'timer', 'conditional'].includes(trigger.type);
}

/** A catching event's trigger, reported when missing (only start events may have none). */
function requiredTrigger(element: ModdleElement, base: NodeBase, context: BuildContext): CatchTrigger | null {
  const trigger = readCatchTrigger(owner(element, base), context);
  if (trigger !== undefined) return trigger;
  context.problems.error(`${describeElement(owner(element, base))} has no event definition`, {
    elementId: base.id,
  });
  return null;
}

const intermediateCatchEvent: Mapper = (element, base, context) => {
  const linkName = readLinkName(owner(element, base), context);
  if (linkName !== undefined) {
    return linkName === null
      ? REJECTED
      : node({ ...base, kind: 'intermediateCatchEvent', trigger: { type: 'link', linkName } });
  }
  const trigger = requiredTrigger(element, base, context);
  if (trigger === null) return REJECTED;
  if (!isIntermediateTrigger(trigger)) {
    return reject(
      context,
      base.id,
      `${describeElement(owner(element, base))} cannot catch a ${trigger.type} event: only message, signal, timer and conditional intermediate catch events exist`,
    );
  }
  return node({ ...base, kind: 'intermediateCatchEvent', trigger });
};

const boundaryEvent: Mapper = (element, base, context) => {
  const attachedTo = readElement(element, 'attachedToRef');
  const attachedToId =
    attachedTo === null ? context.reader.unresolvedRef(element, 'attachedToRef') : elementId(attachedTo);
  const trigger = requiredTrigger(element, base, context);
  if (attachedToId === null) {
    return reject(context, base.id, `Boundary event '${base.id}' has no attachedToRef`);
  }
  if (trigger === null) return REJECTED;
  const interrupting = readBoolean(element, 'cancelActivity') !== false;
  return node({
    ...base,
    kind: 'boundaryEvent',
    attachedToId,
    interrupting,
    trigger,
    compensationHandlerId: null,
  });
};

const MAPPERS: ReadonlyMap<string, Mapper> = new Map<string, Mapper>([
  ['bpmn:StartEvent', startEvent],
  ['bpmn:EndEvent', endEvent],
  ['bpmn:UserTask', userTask],
  ['bpmn:ReceiveTask', receiveTask],
  ['bpmn:Task', passThrough('task')],
  ['bpmn:ManualTask', passThrough('manualTask')],
  ['bpmn:ScriptTask', scriptTask],
  ['bpmn:ServiceTask', serviceLike('serviceTask')],
  ['bpmn:SendTask', serviceLike('sendTask')],
  ['bpmn:BusinessRuleTask', serviceLike('businessRuleTask')],
  ['bpmn:SubProcess', subProcess],
  ['bpmn:Transaction', subProcess],
  [
    'bpmn:CallActivity',
    (element, base, context) => {
      const callActivity = readCallActivity(element, base, context);
      return callActivity === null ? REJECTED : node(callActivity);
    },
  ],
  [
    'bpmn:ExclusiveGateway',
    (element, base, context) =>
      node({ ...base, kind: 'exclusiveGateway', defaultFlowId: defaultFlowId(element, context) }),
  ],
  [
    'bpmn:InclusiveGateway',
    (element, base, context) =>
      node({ ...base, kind: 'inclusiveGateway', defaultFlowId: defaultFlowId(element, context) }),
  ],
  ['bpmn:ParallelGateway', (_element, base) => node({ ...base, kind: 'parallelGateway' })],
  ['bpmn:IntermediateCatchEvent', intermediateCatchEvent],
  ['bpmn:IntermediateThrowEvent', intermediateThrowEvent],
  ['bpmn:EventBasedGateway', (_element, base) => node({ ...base, kind: 'eventBasedGateway' })],
  ['bpmn:BoundaryEvent', boundaryEvent],
]);

/** Flow elements that are tolerated but take no part in execution. */
const IGNORED_TYPES: ReadonlySet<string> = new Set([
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

/** True for flow elements that are tolerated but not executed (data objects and stores). */
export function isIgnoredElement(element: ModdleElement): boolean {
  return IGNORED_TYPES.has(element.$type);
}

/** Maps a flow element (not a sequence flow) of an executable process, reporting anything unsupported. */
export function mapFlowElement(element: ModdleElement, base: NodeBase, context: BuildContext): MappedElement {
  if (isIgnoredElement(element)) return IGNORED;
  const mapper = MAPPERS.get(element.$type);
  const described = describeElement(owner(element, base));
  if (mapper === undefined) return reject(context, base.id, `Unsupported element ${described}`);
  // Multi-instance loop characteristics are read by the walker (multi-instance-reader.ts).
  if (readElement(element, 'loopCharacteristics')?.$type === 'bpmn:StandardLoopCharacteristics') {
    return reject(context, base.id, `Standard loops are not supported: ${described}`);
  }
  return mapper(element, base, context);
}
