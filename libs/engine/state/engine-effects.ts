/**
 * What an operation tells the imperative shell besides the new state. The new state alone is the
 * truth for persistence (write the differences); effects drive everything else: history rows, timer
 * scheduling in the queue, notifications to external-task workers. They are listed in the order the
 * engine produced them.
 */
import type { CalledElementBinding } from '@libs/bpmn';
import type { ActivityType, InstanceStatus, ProcessInstanceState } from './instance-state';
import type { TypedValue, VariableMap } from './typed-value';

/** Why an activity instance ended: it ran to completion, was cancelled, or a terminate end event ended it. */
export type ActivityEndReason = 'completed' | 'canceled' | 'terminated';

/** Why a task or external task was removed: done by its worker/user, or deleted with its activity. */
export type WorkEndReason = 'completed' | 'deleted';

/** One thing the shell must know about; a discriminated union on `type`. */
export type EngineEffect =
  /**
   * A process instance was created (history: HistoricProcessInstance start). `startActivityId` is
   * the start event, or for an instantiation at activities the first instruction's activity.
   */
  | {
      readonly type: 'processStarted';
      readonly processInstanceId: string;
      readonly startActivityId: string;
      readonly time: Date;
    }
  /**
   * The process instance ended: `COMPLETED` (ran to its end, or a top-level terminate end event) or
   * `EXTERNALLY_TERMINATED` (deleted, or cancelled down to nothing by modification).
   */
  | {
      readonly type: 'processEnded';
      readonly processInstanceId: string;
      readonly state: Exclude<InstanceStatus, 'ACTIVE'>;
      readonly deleteReason: string | null;
      readonly time: Date;
    }
  /** An activity instance began (history: HistoricActivityInstance). Not emitted for the root. */
  | {
      readonly type: 'activityStarted';
      readonly activityInstanceId: string;
      readonly parentActivityInstanceId: string;
      readonly activityId: string;
      readonly activityType: ActivityType;
      readonly executionId: string;
      readonly time: Date;
    }
  /**
   * A call activity instance began to wait for the process it calls: the shell starts that instance
   * in the same transaction (resolving the definition by `binding`), linked to `activityInstanceId`.
   * Everything that came from expressions is resolved: the called key, version, version tag, tenant
   * (the calling instance's when the model names none), business key and the `camunda:in` variables.
   * The call activity's end is an `activityEnded` of type `callActivity`: `completed` when the shell
   * ran `completeCallActivity` for it, otherwise the called instance must be deleted with it.
   */
  | {
      readonly type: 'callActivityStarted';
      readonly processInstanceId: string;
      readonly activityInstanceId: string;
      readonly activityId: string;
      readonly calledElement: string;
      readonly binding: CalledElementBinding;
      readonly version: number | null;
      readonly versionTag: string | null;
      readonly tenantId: string | null;
      readonly businessKey: string | null;
      readonly variables: VariableMap;
      readonly time: Date;
    }
  /** An activity instance ended. Pass-through elements start and end within the same operation. */
  | {
      readonly type: 'activityEnded';
      readonly activityInstanceId: string;
      readonly activityId: string;
      readonly activityType: ActivityType;
      readonly endReason: ActivityEndReason;
      readonly time: Date;
    }
  | {
      readonly type: 'taskCreated';
      readonly taskId: string;
      readonly activityInstanceId: string;
      readonly time: Date;
    }
  | {
      readonly type: 'taskEnded';
      readonly taskId: string;
      readonly reason: WorkEndReason;
      readonly time: Date;
    }
  /** A task's assignee changed after its creation (claim, unclaim, set assignee); history keeps the latest. */
  | {
      readonly type: 'taskAssigned';
      readonly taskId: string;
      readonly activityInstanceId: string;
      readonly assignee: string | null;
      readonly time: Date;
    }
  | {
      readonly type: 'externalTaskCreated';
      readonly externalTaskId: string;
      readonly topicName: string;
      readonly time: Date;
    }
  | {
      readonly type: 'externalTaskEnded';
      readonly externalTaskId: string;
      readonly reason: WorkEndReason;
      readonly time: Date;
    }
  /**
   * The instance was migrated to another process definition (history: a migrate event). Emitted
   * once per migration, after the per-activity `activityMigrated` effects.
   */
  | {
      readonly type: 'processMigrated';
      readonly processInstanceId: string;
      readonly sourceDefinitionId: string;
      readonly definitionId: string;
      readonly definitionKey: string;
      readonly time: Date;
    }
  /**
   * A live activity instance now runs on another element of the target definition; its id, tasks and
   * variables are kept. `parentActivityInstanceId` is its (possibly new) scope instance,
   * `sourceParentActivityInstanceId` the one it had.
   */
  | {
      readonly type: 'activityMigrated';
      readonly activityInstanceId: string;
      readonly parentActivityInstanceId: string;
      readonly sourceParentActivityInstanceId: string;
      readonly sourceActivityId: string;
      readonly activityId: string;
      readonly activityType: ActivityType;
      readonly time: Date;
    }
  /**
   * A timer job exists and must fire at `dueDate` (schedule a delayed queue job). Migration with
   * `updateEventTrigger` re-arms a job under its old id: `timerCancelled` then `timerScheduled`.
   */
  | { readonly type: 'timerScheduled'; readonly jobId: string; readonly dueDate: Date }
  /** A timer job was removed without firing (unschedule it). A fired timer gets no effect. */
  | { readonly type: 'timerCancelled'; readonly jobId: string }
  /** An asynchronous continuation job exists and can run now (dispatch it to a worker). */
  | { readonly type: 'asyncJobCreated'; readonly jobId: string }
  /** An asynchronous continuation job was removed without running (its scope was cancelled). */
  | { readonly type: 'asyncJobDeleted'; readonly jobId: string }
  /**
   * The instance was activated: its jobs with retries left may run again (dispatch the asynchronous
   * continuations, schedule the timers at their due dates). Dispatching is idempotent.
   */
  | { readonly type: 'asyncJobResumed'; readonly jobId: string }
  | { readonly type: 'timerResumed'; readonly jobId: string; readonly dueDate: Date }
  /**
   * A BPMN error thrown in this called instance found no catcher in it: the shell looks for one in
   * the calling instance (from the call activity instance outwards, see `catchCalledError`), after
   * setting the call activity's `camunda:out` variables from `variables` (this instance's process
   * variables). The throwing activity instance `origin` is left as it was until then: if nobody
   * catches the error, the shell ends it like a none end event (`endUncaughtError`).
   */
  | {
      readonly type: 'bpmnErrorEscaped';
      readonly processInstanceId: string;
      readonly errorCode: string | null;
      readonly errorMessage: string | null;
      readonly origin: ErrorOrigin;
      readonly variables: VariableMap;
    }
  /** A BPMN error that escaped called instances found no catcher up to the root caller. */
  | { readonly type: 'bpmnErrorUncaught'; readonly origin: ErrorOrigin }
  /**
   * An escalation thrown in this called instance found no catcher in it: the shell looks for one in
   * the calling instance (`catchCalledEscalation`). The throwing event has already continued.
   */
  | {
      readonly type: 'escalationEscaped';
      readonly processInstanceId: string;
      readonly escalationCode: string | null;
      readonly variables: VariableMap;
    }
  /**
   * A signal throw event broadcast `signalName`: the instance's own subscriptions that existed when it
   * was thrown have received it already (unless `async`); the shell delivers it to every other
   * instance's subscriptions and starts the definitions with a signal start event of that name, for
   * the thrower's tenant and those without one (Camunda's `ThrowSignalEventActivityBehavior`), in the
   * same transaction, or through a job when `async` (then to the thrower's instance too).
   */
  | {
      readonly type: 'signalThrown';
      readonly processInstanceId: string;
      readonly signalName: string;
      readonly tenantId: string | null;
      readonly async: boolean;
    }
  /** A job (timer or asynchronous continuation) ran successfully (history: its job log's success entry). */
  | { readonly type: 'jobExecuted'; readonly jobId: string }
  /** A variable was created, changed or removed by an operation (history: variable updates). */
  | {
      readonly type: 'variableCreated' | 'variableUpdated';
      readonly variableId: string;
      readonly name: string;
      readonly scopeId: string;
      readonly value: TypedValue;
      readonly time: Date;
    }
  | {
      readonly type: 'variableDeleted';
      readonly variableId: string;
      readonly name: string;
      readonly scopeId: string;
      readonly time: Date;
    };

/** The activity instance that threw a BPMN error, and its process instance. */
export interface ErrorOrigin {
  readonly processInstanceId: string;
  readonly activityInstanceId: string;
}

export type EngineEffectType = EngineEffect['type'];

/** What every operation returns: the new state (a fresh object; the input is untouched) and its effects. */
export interface EngineResult {
  readonly state: ProcessInstanceState;
  readonly effects: readonly EngineEffect[];
}
