/**
 * The pure BPMN runtime: plain-data process-instance state and pure operations over it
 * (`(model, state, command, ctx) → { state, effects }`). No I/O: the shell persists the state and acts
 * on the effects.
 */
export {
  ProcessEngineException,
  BadUserRequestException,
  NotFoundException,
  processInstanceNotFound,
  type EngineEntity,
  NotValidException,
  NullValueException,
  OptimisticLockingException,
  ParseException,
  AuthorizationException,
  SuspendedEntityInteractionException,
  MismatchingMessageCorrelationException,
  InvalidVariableValueException,
  MigrationPlanValidationException,
  MigratingProcessInstanceValidationException,
  TaskAlreadyClaimedException,
} from './errors';

export type {
  ActivityInstance,
  ActivityType,
  EngineContext,
  EventScope,
  EventSubscription,
  ExternalTaskRecord,
  InstanceStatus,
  ProcessInstanceState,
  SubscriptionType,
  Task,
  TimerJob,
  AsyncDirection,
  AsyncJob,
  CallLinks,
  VariableRecord,
} from './state/instance-state';
export type {
  ActivityEndReason,
  EngineEffect,
  EngineEffectType,
  ErrorOrigin,
  EngineResult,
  WorkEndReason,
} from './state/engine-effects';

export {
  typedValueOf,
  variablesOf,
  plainValueOf,
  sameTypedValue,
  type JsonValue,
  type TypedValue,
  type ValueType,
  type VariableMap,
} from './state/typed-value';
export {
  fromRestVariable,
  fromRestVariables,
  toRestVariable,
  type RestVariableOutput,
  type RestVariableValue,
} from './state/rest-variables';
export { visibleVariables } from './state/variables';
export {
  addDuration,
  firstDueDate,
  parseDateTime,
  parseDuration,
  type IsoDuration,
} from './execution/timers';
export { nextJobRetry, type FailingJob, type JobRetry } from './execution/job-retries';
export { startTimerJob, followingStartTimer, type StartTimerJob } from './execution/start-timers';
export { activityTypeOf } from './execution/activity-types';
export { startConditionHolds } from './execution/conditional-events';

export {
  startInstance,
  startInstanceAt,
  cancelInstance,
  setVariables,
  removeVariables,
  setSuspension,
  type StartInstanceCommand,
  type CancelInstanceCommand,
  type SetVariablesCommand,
  type RemoveVariablesCommand,
  type SetSuspensionCommand,
} from './operations/instance-operations';
export {
  completeTask,
  completeExternalTask,
  correlateMessage,
  correlateSignal,
  fireTimer,
  type TriggerVariables,
  type CompleteTaskCommand,
  type CompleteExternalTaskCommand,
  type CorrelateMessageCommand,
  type CorrelateSignalCommand,
  type FireTimerCommand,
} from './operations/trigger-operations';
export { executeAsyncJob, type ExecuteAsyncJobCommand } from './operations/async-job-operations';
export {
  catchCalledError,
  catchCalledEscalation,
  completeCallActivity,
  endUncaughtError,
  type CatchCalledErrorCommand,
  type CatchCalledEscalationCommand,
  type CompleteCallActivityCommand,
  type EndUncaughtErrorCommand,
} from './operations/call-activity-operations';
export { DEFAULT_JOB_RETRIES } from './execution/async-continuations';
export {
  asyncJobDefinitionId,
  DEFAULT_JOB_PRIORITY,
  jobDefinitionsOf,
  timerJobDefinitionId,
  type JobDeclaration,
  type ProcessJobType,
} from './execution/job-definitions';
export {
  claimTask,
  setTaskAssignee,
  type ClaimTaskCommand,
  type SetTaskAssigneeCommand,
} from './execution/task-assignment';
export {
  completeLockedExternalTask,
  handleExternalTaskBpmnError,
  handleExternalTaskFailure,
  unlockExternalTask,
  setExternalTaskRetries,
  type SetExternalTaskRetriesCommand,
  type HandleExternalTaskBpmnErrorCommand,
  type CompleteLockedExternalTaskCommand,
  type HandleExternalTaskFailureCommand,
  type UnlockExternalTaskCommand,
} from './execution/external-task-handling';
export {
  enterNode,
  leaveNode,
  takeFlow,
  cancelActivityInstance,
  cancelTransitionInstance,
  type EnterNodeCommand,
  type LeaveNodeCommand,
  type TakeFlowCommand,
  type CancelActivityInstanceCommand,
  type CancelTransitionInstanceCommand,
} from './operations/modification-primitives';
export {
  InstanceSession,
  type SessionOptions,
  type StartOptions,
  type SuspendableEntity,
} from './state/instance-session';
export { TokenRunner, type RunnerOptions } from './execution/token-runner';
export { EngineRun } from './execution/engine-run';
export { InstanceDraft, type InstanceHeader } from './state/instance-draft';
export { createBoundaryTriggers, fireBoundaryEvent, type BoundaryTrigger } from './execution/boundary-events';
export { elementsReaching } from './execution/reachability';

export {
  activityInstanceTree,
  type ActivityInstanceDto,
  type ActivityInstanceIncidentDto,
  type TransitionInstanceDto,
  type TreeIncident,
} from './state/activity-instance-tree';

export {
  migrationInstructionDto,
  migrationPlanDto,
  type MigrationDefinition,
  type MigrationInstruction,
  type MigrationInstructionDto,
  type MigrationPlan,
  type MigrationPlanDto,
} from './migration/migration-plan';
export {
  instanceReportHasFailures,
  planReportHasFailures,
  type MigratingActivityInstanceValidationReport,
  type MigratingProcessInstanceValidationReport,
  type MigratingTransitionInstanceValidationReport,
  type MigrationInstructionValidationReport,
  type MigrationPlanReport,
  type MigrationVariableValidationReport,
} from './migration/migration-reports';
export { generateMigrationPlan, type GenerateMigrationPlanOptions } from './migration/plan-generation';
export { validateMigrationPlan } from './migration/plan-validation';
export {
  CompiledMigrationPlan,
  compileMigrationPlan,
  type CompiledInstruction,
} from './migration/compiled-plan';
export {
  migrateInstance,
  migrateInstances,
  migrateInstanceWithPlan,
  migrateInstancesWithPlan,
  validateInstanceWithPlan,
  validateMigratingInstance,
  type MigrationOptions,
  type MigrationOutcome,
} from './migration/migration-operations';

export {
  describeModification,
  fromRestTriggerVariables,
  type CancelActivityInstanceInstruction,
  type CancelActivityInstruction,
  type CancelInstruction,
  type CancelTransitionInstanceInstruction,
  type InstantiationInstruction,
  type ModificationInstruction,
  type ModificationVariable,
  type ModificationVariables,
  type RestTriggerVariables,
  type StartAfterActivityInstruction,
  type StartBeforeActivityInstruction,
  type StartTransitionInstruction,
} from './modification/modification-instructions';
export {
  modifyInstance,
  modifyInstanceOfDefinition,
  modifyInstances,
  type BatchModificationInstruction,
  type ModificationOutcome,
  type ModifyInstanceCommand,
  type ModifyInstancesCommand,
} from './modification/modification-operations';
