/**
 * The immutable process model the engine runs on: one per executable `<process>` of a deployed BPMN
 * resource. Parsed once per process definition and cached; all collections are read-only and every
 * reference between elements is by id, so a model can be shared between any number of instances.
 */
import type { Expression } from './juel';
import type { RetryCycle } from './retry-cycle';

/** Event triggers a catching event (boundary, intermediate, receive task) can wait for. */
export type EventTrigger =
  | { readonly type: 'message'; readonly messageName: string }
  | { readonly type: 'signal'; readonly signalName: string }
  | { readonly type: 'timer'; readonly timer: TimerDefinition };

/**
 * `<conditionalEventDefinition>`: fires when `condition` holds after a variable change (and, for a
 * boundary or event sub-process start, when its scope is entered with the condition already true).
 * `variableName`: only changes of this variable count; `variableEvents`: only these kinds of change
 * (`create`, `update`, `delete`; empty: all).
 */
export interface ConditionalTrigger {
  readonly type: 'conditional';
  readonly condition: Expression;
  readonly variableName: string | null;
  readonly variableEvents: readonly string[];
}

/**
 * A caught BPMN error: `errorCode` null catches every error; the code and message of the caught error
 * go into `camunda:errorCodeVariable` / `camunda:errorMessageVariable` when declared.
 */
export interface ErrorTrigger {
  readonly type: 'error';
  readonly errorCode: string | null;
  readonly errorCodeVariable: string | null;
  readonly errorMessageVariable: string | null;
}

/** A caught escalation: `escalationCode` null catches every escalation. */
export interface EscalationTrigger {
  readonly type: 'escalation';
  readonly escalationCode: string | null;
  readonly escalationCodeVariable: string | null;
}

/**
 * A link catch event (`<linkEventDefinition name>`): the flows into the link throw events of the same
 * name lead here, and it passes through (Camunda's `IntermediateCatchLinkEventActivityBehavior`).
 */
export interface LinkTrigger {
  readonly type: 'link';
  readonly linkName: string;
}

/** A compensation boundary event or compensation event sub-process start. */
export interface CompensateTrigger {
  readonly type: 'compensate';
}

/**
 * A cancel boundary event (`<cancelEventDefinition>`), only on a transaction: the token leaves here
 * once a cancel end event inside the transaction has compensated it (Camunda's `cancelBoundaryCatch`).
 */
export interface CancelTrigger {
  readonly type: 'cancel';
}

/** Every trigger a catching event can declare; where each kind is allowed is checked at deployment. */
export type CatchTrigger =
  EventTrigger | ConditionalTrigger | ErrorTrigger | EscalationTrigger | CompensateTrigger | CancelTrigger;

/** What any catching event waits for or passes on: a catch trigger, or a link (intermediate catch only). */
export type AnyTrigger = CatchTrigger | LinkTrigger;

/** The triggers that wait on a stored record: a message, signal or conditional subscription, a timer job. */
export type WaitTrigger = EventTrigger | ConditionalTrigger;

/** True for the triggers that wait on a stored record (see {@link WaitTrigger}). */
export function isWaitTrigger(trigger: AnyTrigger): trigger is WaitTrigger {
  return (
    trigger.type === 'message' ||
    trigger.type === 'signal' ||
    trigger.type === 'timer' ||
    trigger.type === 'conditional'
  );
}

/**
 * What a throwing event (end or intermediate throw) does:
 * - `none`: nothing (the token ends or passes);
 * - `terminate` (end only): ends the whole scope instance at once;
 * - `message`: a message event without implementation passes through like a none event; one with
 *   `camunda:type="external"` waits for its external task (Camunda's service-task-like message event);
 * - `signal`: broadcasts `signalName` (`camunda:async` on the definition: delivered by a job);
 * - `error` (end only): throws the BPMN error `errorCode` (null: an error without code);
 * - `escalation`: throws `escalationCode`;
 * - `compensate`: compensates `activityRef` (null: the whole scope), waiting for the handlers when
 *   `waitForCompletion` (Camunda only supports true);
 * - `cancel` (end only, directly inside a transaction): cancels the transaction's other activities,
 *   compensates the transaction, then leaves through its cancel boundary event.
 */
export type ThrowResult =
  | { readonly type: 'none' }
  | { readonly type: 'terminate' }
  | { readonly type: 'message'; readonly externalTask: ExternalWork | null }
  | { readonly type: 'signal'; readonly signalName: string; readonly async: boolean }
  | { readonly type: 'error'; readonly errorCode: string | null; readonly errorMessage: string | null }
  | { readonly type: 'escalation'; readonly escalationCode: string | null }
  | { readonly type: 'compensate'; readonly activityRef: string | null; readonly waitForCompletion: boolean }
  | { readonly type: 'cancel' };

/**
 * The value of a `camunda:inputParameter` / `camunda:outputParameter` (or of a list item or map entry):
 * - `expression`: the trimmed text, compiled; literal text, a single `${…}` or composite text;
 * - `null`: an empty body (Camunda's `NullValueProvider`);
 * - `list` / `map`: a `camunda:list` of values / a `camunda:map` of keyed values, in document order.
 * `camunda:script` values are refused at deployment.
 */
export type IoValue =
  | { readonly kind: 'expression'; readonly expression: Expression }
  | { readonly kind: 'null' }
  | { readonly kind: 'list'; readonly items: readonly IoValue[] }
  | {
      readonly kind: 'map';
      readonly entries: readonly { readonly key: string; readonly value: IoValue }[];
    };

/** One `camunda:inputParameter` or `camunda:outputParameter`: the variable `name` and its value. */
export interface IoParameter {
  readonly name: string;
  readonly value: IoValue;
}

/**
 * `camunda:inputOutput` of an activity. Inputs are evaluated in the parent scope when the activity
 * instance starts and set as its local variables; outputs are evaluated in the activity's scope when
 * it ends and set on the parent scope (where the variable exists, else on the process instance).
 */
export interface IoMapping {
  readonly inputs: readonly IoParameter[];
  readonly outputs: readonly IoParameter[];
}

/** A timer as written in BPMN. `value` may be an ISO-8601 text or a `${…}` expression. */
export interface TimerDefinition {
  readonly kind: 'duration' | 'date' | 'cycle';
  readonly value: string;
}

export interface FlowNodeBase {
  readonly id: string;
  readonly name: string | null;
  /** Id of the enclosing scope: the process id or an embedded sub-process id. */
  readonly scopeId: string;
  /** Ids of incoming and outgoing sequence flows, in document order. */
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  /** `camunda:asyncBefore` / `camunda:asyncAfter`. */
  readonly asyncBefore: boolean;
  readonly asyncAfter: boolean;
  /** `camunda:exclusive` (default true): its asynchronous continuations run one at a time per instance. */
  readonly exclusive: boolean;
  /**
   * `camunda:jobPriority` (raw text: a number or an expression): the priority of the element's jobs
   * (asynchronous continuations, and a timer event's timer); `null` when not declared.
   */
  readonly jobPriority: string | null;
  /** 1-based line of the element in the XML resource, for error messages. */
  readonly line: number | null;
  /** `camunda:inputOutput`, `null` when the element declares none. */
  readonly ioMapping: IoMapping | null;
  /**
   * `camunda:failedJobRetryTimeCycle` of its asynchronous continuations and timer jobs; absent when
   * not declared (a failed job is then retried at once, 3 times).
   */
  readonly retryCycle?: RetryCycle;
  /** `isForCompensation`: a compensation handler, run only by compensation (no flows). */
  readonly isForCompensation: boolean;
}

export interface StartEvent extends FlowNodeBase {
  readonly kind: 'startEvent';
  /** `null`: a none start event. */
  readonly trigger: CatchTrigger | null;
  /** `isInterrupting` (default true): whether starting an event sub-process cancels its scope's other activities. */
  readonly interrupting: boolean;
}

export interface EndEvent extends FlowNodeBase {
  readonly kind: 'endEvent';
  /** What the end event throws; `terminate` ends its whole scope (the process instance at top level) at once. */
  readonly result: ThrowResult;
}

/** `<intermediateThrowEvent>`: throws (see {@link ThrowResult}, never `terminate` or `error`) and passes on. */
export interface IntermediateThrowEvent extends FlowNodeBase {
  readonly kind: 'intermediateThrowEvent';
  readonly result: ThrowResult;
}

/** `<eventBasedGateway>`: waits for the first of the intermediate catch events that follow it. */
export interface EventBasedGateway extends FlowNodeBase {
  readonly kind: 'eventBasedGateway';
}

export interface UserTask extends FlowNodeBase {
  readonly kind: 'userTask';
  /**
   * `camunda:assignee`, `camunda:candidateGroups`, `camunda:candidateUsers`, `camunda:dueDate`,
   * `camunda:followUpDate`, `camunda:priority` (raw text, may be expressions).
   */
  readonly assignee: string | null;
  readonly candidateGroups: readonly string[];
  readonly candidateUsers: readonly string[];
  readonly dueDate: string | null;
  readonly followUpDate: string | null;
  readonly priority: string | null;
}

export interface ReceiveTask extends FlowNodeBase {
  readonly kind: 'receiveTask';
  readonly messageName: string;
}

/** task, manualTask, and service/script/send/business-rule tasks without `camunda:type="external"`: pass through. */
export interface PassThroughTask extends FlowNodeBase {
  readonly kind: 'task';
  /** The BPMN element type it came from, e.g. `manualTask`, `serviceTask`. */
  readonly elementType:
    'task' | 'manualTask' | 'serviceTask' | 'scriptTask' | 'sendTask' | 'businessRuleTask';
}

/** service/send/business-rule task with `camunda:type="external"`: waits for an external worker. */
/** Work an external task worker does (`camunda:type="external"`): its topic and priority (expressions allowed). */
export interface ExternalWork {
  readonly topic: string;
  readonly priority: string | null;
}

export interface ExternalTask extends FlowNodeBase, ExternalWork {
  readonly kind: 'externalTask';
  readonly elementType: 'serviceTask' | 'sendTask' | 'businessRuleTask';
}

export interface SubProcess extends FlowNodeBase {
  readonly kind: 'subProcess';
  /**
   * The single none start event inside an embedded sub-process; the single start event (with its
   * trigger) of an event sub-process.
   */
  readonly startEventId: string;
  /** `triggeredByEvent`: an event sub-process, started by its start event's trigger, never by a flow. */
  readonly triggeredByEvent: boolean;
  /**
   * A `<transaction>`: runs as an embedded sub-process (Camunda's `SubProcessActivityBehavior`) with
   * its own activity type; a cancel end event inside it compensates and cancels it.
   */
  readonly transaction: boolean;
}

/** `camunda:calledElementBinding`: which version of the called process a call activity starts. */
export type CalledElementBinding = 'latest' | 'deployment' | 'version' | 'versionTag';

/**
 * One `camunda:in` / `camunda:out` of a call activity: copy the variable `source` (or the value of
 * `sourceExpression`) to `target`, or (`all`) every variable. `local`: `in` reads only the call
 * activity's local variables, `out` sets its values as locals of the call activity instance.
 */
export type CallVariableMapping =
  | { readonly kind: 'all'; readonly local: boolean }
  | { readonly kind: 'source'; readonly source: string; readonly target: string; readonly local: boolean }
  | {
      readonly kind: 'expression';
      readonly expression: Expression;
      readonly target: string;
      readonly local: boolean;
    };

/**
 * A call activity (`<callActivity calledElement="…">`): waits while the process it calls runs as an
 * instance of its own. Texts (`calledElement`, version, version tag, tenant id) may be `${…}`
 * expressions, evaluated when the activity starts.
 */
export interface CallActivity extends FlowNodeBase {
  readonly kind: 'callActivity';
  readonly calledElement: string;
  readonly binding: CalledElementBinding;
  /** `camunda:calledElementVersion` (binding `version`), raw text. */
  readonly version: string | null;
  /** `camunda:calledElementVersionTag` (binding `versionTag`), raw text. */
  readonly versionTag: string | null;
  /** `camunda:calledElementTenantId`, raw text; `null`: the calling definition's tenant. */
  readonly tenantId: string | null;
  /** `<camunda:in businessKey="…">`: the called instance's business key, raw text. */
  readonly businessKey: string | null;
  readonly inputs: readonly CallVariableMapping[];
  readonly outputs: readonly CallVariableMapping[];
}

export interface ExclusiveGateway extends FlowNodeBase {
  readonly kind: 'exclusiveGateway';
  readonly defaultFlowId: string | null;
}

export interface InclusiveGateway extends FlowNodeBase {
  readonly kind: 'inclusiveGateway';
  readonly defaultFlowId: string | null;
}

export interface ParallelGateway extends FlowNodeBase {
  readonly kind: 'parallelGateway';
}

export interface IntermediateCatchEvent extends FlowNodeBase {
  readonly kind: 'intermediateCatchEvent';
  readonly trigger: EventTrigger | ConditionalTrigger | LinkTrigger;
}

export interface BoundaryEvent extends FlowNodeBase {
  readonly kind: 'boundaryEvent';
  /** The activity (task or sub-process) the event is attached to. */
  readonly attachedToId: string;
  /** `cancelActivity`: interrupting (true, the default) or non-interrupting. */
  readonly interrupting: boolean;
  readonly trigger: CatchTrigger;
  /** A compensation boundary event: the `isForCompensation` activity an association links it to. */
  readonly compensationHandlerId: string | null;
}

/**
 * How a multi-instance body counts its inner instances: `loopCardinality` (a number, numeric text or
 * `${…}`) wins; else `camunda:collection`, an expression when it contains `{`, else a variable name.
 */
export type MultiInstanceCollection =
  | { readonly kind: 'expression'; readonly expression: Expression }
  | { readonly kind: 'variable'; readonly name: string };

/**
 * The multi-instance body `<X>#multiInstanceBody` Camunda wraps around an activity `X` with
 * `multiInstanceLoopCharacteristics`: a scope that takes X's place in the flow (X's flows, boundary
 * events, and the `camunda:async*`/`exclusive`/retry cycle written on X's element), and contains X as
 * its only child (X then has no flows; the `camunda:async*` on the loop characteristics are X's).
 */
export interface MultiInstanceBody extends FlowNodeBase {
  readonly kind: 'multiInstanceBody';
  /** The inner activity X. */
  readonly innerActivityId: string;
  /** `isSequential` (default false): one inner instance after the other. */
  readonly sequential: boolean;
  readonly loopCardinality: Expression | null;
  readonly collection: MultiInstanceCollection | null;
  /** `camunda:elementVariable`: the local variable that receives the item at `loopCounter`. */
  readonly elementVariable: string | null;
  /** `completionCondition`: when it holds after an inner instance completed, the rest is cancelled. */
  readonly completionCondition: Expression | null;
}

export type FlowNode =
  | StartEvent
  | EndEvent
  | UserTask
  | ReceiveTask
  | PassThroughTask
  | ExternalTask
  | SubProcess
  | CallActivity
  | ExclusiveGateway
  | InclusiveGateway
  | ParallelGateway
  | IntermediateCatchEvent
  | IntermediateThrowEvent
  | EventBasedGateway
  | BoundaryEvent
  | MultiInstanceBody;

export type FlowNodeKind = FlowNode['kind'];

/**
 * The event-based gateway an intermediate catch event follows (its event scope in Camunda's terms), or
 * `null` when it follows none.
 */
export function eventBasedGatewayBefore(model: ProcessModel, node: FlowNode): string | null {
  if (node.kind !== 'intermediateCatchEvent') return null;
  for (const flowId of node.incoming) {
    const flow = model.flows.get(flowId);
    const source = flow === undefined ? undefined : model.nodes.get(flow.sourceId);
    if (source?.kind === 'eventBasedGateway') return source.id;
  }
  return null;
}

/** The start events of the process itself (not those of sub-processes), in document order. */
export function processStartEvents(model: ProcessModel): StartEvent[] {
  return (model.childrenOfScope.get(model.id) ?? []).flatMap((id) => {
    const node = model.nodes.get(id);
    return node?.kind === 'startEvent' ? [node] : [];
  });
}

export interface SequenceFlow {
  readonly id: string;
  readonly name: string | null;
  readonly sourceId: string;
  readonly targetId: string;
  /** The `${…}` condition, compiled at parse time; `null` when unconditional. */
  readonly condition: Expression | null;
  readonly line: number | null;
}

export interface ProcessModel {
  /** The process id, i.e. the process definition key. */
  readonly id: string;
  readonly name: string | null;
  /** `camunda:versionTag`, `camunda:historyTimeToLive` (days). */
  readonly versionTag: string | null;
  readonly historyTimeToLive: number | null;
  /** `camunda:isStartableInTasklist` (default true): whether task lists offer to start it. */
  readonly startableInTasklist: boolean;
  /** `camunda:taskPriority`: the priority of external tasks without their own (raw text, may be an expression). */
  readonly taskPriority: string | null;
  /** `camunda:jobPriority` on the process: the priority of jobs whose element declares none (raw text). */
  readonly jobPriority: string | null;
  /**
   * The initial start event at process level, where `POST /process-definition/{id}/start` starts
   * (Camunda's `selectInitial`): the none start event, else the timer start event, else the only start
   * event whatever its trigger; `null` when the process has several triggered start events and no none
   * or timer start (it starts only through its messages and signals).
   */
  readonly startEventId: string | null;
  /**
   * `camunda:initiator` of that start event: the variable that receives the authenticated user id
   * (null when anonymous) when an instance starts; `null` when not declared.
   */
  readonly initiatorVariable: string | null;
  readonly nodes: ReadonlyMap<string, FlowNode>;
  readonly flows: ReadonlyMap<string, SequenceFlow>;
  /** Direct children of each scope (process id or sub-process id), boundary events included, in document order. */
  readonly childrenOfScope: ReadonlyMap<string, readonly string[]>;
  /** Boundary events by the id of the activity they are attached to. */
  readonly boundaryEventsOf: ReadonlyMap<string, readonly string[]>;
  /** Event sub-processes by the id of the scope (process or sub-process) that contains them, in document order. */
  readonly eventSubProcessesOf: ReadonlyMap<string, readonly string[]>;
}
