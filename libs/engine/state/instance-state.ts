/**
 * The runtime state of one process instance: plain, serialisable data that persistence stores row by
 * row. Every collection is a flat array of records that refer to each other by id (no object graph,
 * no Maps), so a row maps to a record and a record to a row.
 *
 * Invariants every engine operation keeps:
 * - While the instance runs, exactly one activity instance has `parentId === null`: the root, whose
 *   `id` and `executionId` equal the process instance id and whose `activityId` is the definition id.
 * - Every other activity instance's `parentId` names a live activity instance (a scope: the root or a
 *   sub-process instance); only scopes have children.
 * - Tasks, external tasks, subscriptions, jobs and variables name a live activity instance as owner;
 *   an asynchronous continuation's owner is the scope instance its token waits in, which therefore
 *   counts as having children while it exists. The one exception: local variables a modification
 *   gives a token that parks in a transition instance live on that transition instance's execution
 *   (`scopeId` = its `executionId`) until its job runs or it is removed.
 * - An ended instance (`state !== 'ACTIVE'`) has no activity instances, tasks, external tasks,
 *   subscriptions or jobs; its process-level variables are kept so callers can return them.
 */
import type { TypedValue } from './typed-value';

/** Camunda's historic process-instance states that this engine produces. */
export type InstanceStatus = 'ACTIVE' | 'COMPLETED' | 'EXTERNALLY_TERMINATED' | 'INTERNALLY_TERMINATED';

/**
 * Activity types as Camunda reports them (`ActivityTypes`): in the activity-instance tree, in history
 * and in `activityType` filters. The root of the tree is `processDefinition`.
 */
export type ActivityType =
  | 'processDefinition'
  | 'subProcess'
  | 'transaction'
  | 'multiInstanceBody'
  | 'callActivity'
  | 'userTask'
  | 'receiveTask'
  | 'task'
  | 'manualTask'
  | 'serviceTask'
  | 'scriptTask'
  | 'sendTask'
  | 'businessRuleTask'
  | 'exclusiveGateway'
  | 'inclusiveGateway'
  | 'parallelGateway'
  | 'eventBasedGateway'
  | 'startEvent'
  | 'messageStartEvent'
  | 'signalStartEvent'
  | 'startTimerEvent'
  | 'conditionalStartEvent'
  | 'errorStartEvent'
  | 'escalationStartEvent'
  | 'compensationStartEvent'
  | 'noneEndEvent'
  | 'terminateEndEvent'
  | 'messageEndEvent'
  | 'signalEndEvent'
  | 'errorEndEvent'
  | 'escalationEndEvent'
  | 'compensationEndEvent'
  | 'cancelEndEvent'
  | 'intermediateThrowEvent'
  | 'intermediateNoneThrowEvent'
  | 'intermediateMessageThrowEvent'
  | 'intermediateSignalThrow'
  | 'intermediateEscalationThrowEvent'
  | 'intermediateCompensationThrowEvent'
  | 'intermediateMessageCatch'
  | 'intermediateSignalCatch'
  | 'intermediateTimer'
  | 'intermediateConditional'
  | 'intermediateLinkCatch'
  | 'boundaryMessage'
  | 'boundarySignal'
  | 'boundaryTimer'
  | 'boundaryConditional'
  | 'boundaryError'
  | 'boundaryEscalation'
  | 'compensationBoundaryCatch'
  | 'cancelBoundaryCatch';

/**
 * One node of the activity-instance tree. Only instances that are still active are stored: the root,
 * sub-process (scope) instances and waiting leaves (user/receive/external tasks, intermediate catch
 * events, tokens waiting at a joining gateway). Ids are `<activityId>:<generated id>` and never change
 * for the life of the instance; migration re-points `activityId`/`activityType` and keeps the id.
 */
export interface ActivityInstance {
  readonly id: string;
  /** The enclosing scope instance; `null` only for the root. */
  readonly parentId: string | null;
  /** BPMN element id, or the process definition id for the root. */
  readonly activityId: string;
  readonly activityType: ActivityType;
  /** One execution per activity instance; the root's is the process instance id. */
  readonly executionId: string;
  readonly startTime: Date;
  /**
   * Set on the instances compensation starts (handlers, re-entered snapshot scopes, compensation
   * event sub-processes): the compensation throw event instance that waits for them. Absent otherwise.
   */
  readonly compensationThrowId?: string | null;
}

/** A user task waiting to be completed; owned by its user-task activity instance. */
export interface Task {
  readonly id: string;
  readonly activityInstanceId: string;
  readonly executionId: string;
  /** The user task's element id. */
  readonly taskDefinitionKey: string;
  readonly name: string | null;
  readonly assignee: string | null;
  readonly owner: string | null;
  readonly candidateGroups: readonly string[];
  readonly candidateUsers: readonly string[];
  readonly due: Date | null;
  readonly followUp: Date | null;
  /** Camunda's default is 50. */
  readonly priority: number;
  readonly created: Date;
  /**
   * When a property of the task last changed after its creation (claim, assignment); absent or `null`
   * until then, which is also how Camunda tells a `Created` task from an `Updated` one.
   */
  readonly lastUpdated?: Date | null;
}

/** A unit of work for an external worker (`camunda:type="external"`); owned by its activity instance. */
export interface ExternalTaskRecord {
  readonly id: string;
  readonly activityInstanceId: string;
  readonly executionId: string;
  readonly activityId: string;
  readonly topicName: string;
  /** Camunda's default is 0. */
  readonly priority: number;
  /** Set by fetch-and-lock; `null` while unlocked. */
  readonly workerId: string | null;
  readonly lockExpirationTime: Date | null;
  /** `null` until a worker reports a failure. */
  readonly retries: number | null;
  readonly errorMessage: string | null;
  readonly created: Date;
}

/** The kinds of event subscription an activity can wait on. */
export type SubscriptionType = 'message' | 'signal' | 'compensate' | 'conditional';

/**
 * A message, signal or condition the instance waits for (a conditional subscription has no event
 * name, as in Camunda). `activityId` is the catching element (receive task,
 * intermediate catch event or boundary event); `activityInstanceId` is the waiting instance, or for a
 * boundary event the HOST activity instance (the subscription lives and dies with the host).
 *
 * A `compensate` subscription (no event name) stands for a completed activity that can be compensated:
 * `activityId` is its compensation handler (or the completed sub-process / multi-instance body itself,
 * or its compensation event sub-process); it is owned by the scope instance the activity completed in
 * (`activityInstanceId`), or by an {@link EventScope}; `configuration` names the event scope holding
 * the completed scope's snapshot, `null` for a plain activity.
 */
export interface EventSubscription {
  readonly id: string;
  readonly type: SubscriptionType;
  readonly eventName: string | null;
  readonly activityId: string;
  readonly activityInstanceId: string;
  readonly executionId: string;
  readonly created: Date;
  /** `compensate` only: the {@link EventScope} id the subscription re-enters; absent or `null` otherwise. */
  readonly configuration?: string | null;
}

/**
 * The snapshot a completed sub-process or multi-instance body leaves behind while it has something to
 * compensate (Camunda's event-scope execution, invisible in the activity-instance tree): its local
 * variables (`scopeId` = this id) and the `compensate` subscriptions of its completed children (owned
 * by this id). `parentId` is the live scope instance it completed in, or the event scope of an
 * enclosing completed scope. It goes when compensation re-enters it or its parent scope ends.
 */
export interface EventScope {
  /** Also its execution id. */
  readonly id: string;
  readonly parentId: string;
  /** The completed sub-process or multi-instance body. */
  readonly activityId: string;
  readonly created: Date;
}

/**
 * A timer waiting to fire. `activityId` is the timer event (intermediate catch or boundary event);
 * `activityInstanceId` is the waiting instance, or for a boundary timer the HOST activity instance.
 * `repeat` keeps the ISO-8601 cycle text for cycle timers (only the first occurrence is scheduled).
 */
export interface TimerJob {
  readonly id: string;
  readonly type: 'timer';
  readonly activityId: string;
  readonly activityInstanceId: string;
  readonly executionId: string;
  readonly dueDate: Date;
  readonly repeat: string | null;
  /** Stable per definition and timer event (see `timerJobDefinitionId`). */
  readonly jobDefinitionId: string;
  /** Camunda's default is 3. */
  readonly retries: number;
  /** See {@link AsyncJob.priority}. */
  readonly priority: number;
  /** See {@link AsyncJob.suspended}. */
  readonly suspended: boolean;
  readonly exceptionMessage: string | null;
  readonly created: Date;
}

/** Where an asynchronous continuation breaks: before the activity is entered, or after it ended. */
export type AsyncDirection = 'before' | 'after';

/**
 * A pending asynchronous continuation (`camunda:asyncBefore` / `camunda:asyncAfter`): a job and, while
 * it exists, a *transition instance* in the activity-instance tree. The token waits in the scope
 * instance `activityInstanceId` (the flow scope of the activity, which owns the job): before the
 * activity (no activity instance exists yet) or after it (its activity instance has ended; the taken
 * flow is `flowId`, `null` when the activity has no outgoing flow). Running the job removes it and
 * continues the token. Camunda reports these jobs as `message` jobs; retries start at 3.
 */
export interface AsyncJob {
  readonly id: string;
  readonly type: 'message';
  readonly direction: AsyncDirection;
  /** The async activity (the transition instance's `activityId` and `targetActivityId`). */
  readonly activityId: string;
  /** The owning scope instance: the transition instance's parent. */
  readonly activityInstanceId: string;
  /** The token's execution; also the transition instance's id, as in Camunda. */
  readonly executionId: string;
  /** asyncAfter: the outgoing flow the token takes when the job runs; `null` otherwise. */
  readonly flowId: string | null;
  /** Stable per definition, activity and direction (see `asyncJobDefinitionId`). */
  readonly jobDefinitionId: string;
  /** `camunda:exclusive` of the activity (default true). */
  readonly exclusive: boolean;
  readonly retries: number;
  /**
   * `camunda:jobPriority` when created (or the job definition's overriding priority). Storage sets it
   * on insert only: later changes (`PUT /job/{id}/priority`, job-definition overrides) are written to
   * the row directly and never overwritten by a save of the instance.
   */
  readonly priority: number;
  /**
   * A suspended job is not run by workers. Like `priority`, written by storage on insert only and
   * changed on the row directly (job, job-definition and instance suspension).
   */
  readonly suspended: boolean;
  readonly exceptionMessage: string | null;
  /** Not run before then (a retry cycle's wait, or set by `PUT /job/{id}/duedate`); `null`: at once. */
  readonly dueDate: Date | null;
  readonly created: Date;
}

/**
 * A variable instance. `scopeId` is the activity instance it is local to: the root (process variables)
 * or any other live activity instance (local variables, removed when that instance ends); or the
 * execution of a transition instance (see the module comment).
 */
export interface VariableRecord {
  readonly id: string;
  readonly name: string;
  readonly scopeId: string;
  readonly value: TypedValue;
}

/**
 * How a called instance hangs under the call activity that started it: the calling instance, the call
 * activity's instance there, and the root of the whole call hierarchy. Fixed for the instance's life.
 */
export interface CallLinks {
  readonly superProcessInstanceId: string;
  readonly superActivityInstanceId: string;
  readonly rootProcessInstanceId: string;
}

/** The whole runtime state of one process instance. See the module comment for its invariants. */
export interface ProcessInstanceState {
  readonly id: string;
  readonly definitionId: string;
  /** The process id, i.e. the definition key. */
  readonly definitionKey: string;
  readonly businessKey: string | null;
  readonly tenantId: string | null;
  readonly state: InstanceStatus;
  readonly suspended: boolean;
  readonly startTime: Date;
  readonly endTime: Date | null;
  readonly activityInstances: readonly ActivityInstance[];
  readonly tasks: readonly Task[];
  readonly externalTasks: readonly ExternalTaskRecord[];
  readonly eventSubscriptions: readonly EventSubscription[];
  readonly jobs: readonly TimerJob[];
  /** Pending asynchronous continuations (transition instances). */
  readonly asyncJobs: readonly AsyncJob[];
  readonly variables: readonly VariableRecord[];
  /** Snapshots of completed scopes that can still be compensated. */
  readonly eventScopes: readonly EventScope[];
  /** Set only on an instance a call activity started (absent: the instance is its own root). */
  readonly callLinks?: CallLinks;
}

/**
 * What the engine needs from its caller to stay pure: the current time and fresh ids. Tests pass a
 * fixed date and a counter; production passes the clock and UUIDs.
 */
export interface EngineContext {
  readonly now: Date;
  newId(): string;
}
