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
  EventSubscription,
  ExternalTaskRecord,
  InstanceStatus,
  ProcessInstanceState,
  SubscriptionType,
  Task,
  TimerJob,
  VariableRecord,
} from './instance-state';
export type {
  ActivityEndReason,
  EngineEffect,
  EngineEffectType,
  EngineResult,
  WorkEndReason,
} from './engine-effects';

export {
  typedValueOf,
  variablesOf,
  plainValueOf,
  sameTypedValue,
  type JsonValue,
  type TypedValue,
  type ValueType,
  type VariableMap,
} from './typed-value';
export {
  fromRestVariable,
  fromRestVariables,
  toRestVariable,
  type RestVariableOutput,
  type RestVariableValue,
} from './rest-variables';
export { visibleVariables } from './variables';
export { addDuration, firstDueDate, parseDateTime, parseDuration, type IsoDuration } from './timers';
export { activityTypeOf } from './activity-types';

export {
  startInstance,
  cancelInstance,
  setVariables,
  removeVariables,
  setSuspension,
  type StartInstanceCommand,
  type CancelInstanceCommand,
  type SetVariablesCommand,
  type RemoveVariablesCommand,
  type SetSuspensionCommand,
} from './instance-operations';
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
} from './trigger-operations';
export {
  claimTask,
  setTaskAssignee,
  type ClaimTaskCommand,
  type SetTaskAssigneeCommand,
} from './task-assignment';
export {
  completeLockedExternalTask,
  handleExternalTaskFailure,
  unlockExternalTask,
  type CompleteLockedExternalTaskCommand,
  type HandleExternalTaskFailureCommand,
  type UnlockExternalTaskCommand,
} from './external-task-handling';
export {
  enterNode,
  leaveNode,
  takeFlow,
  cancelActivityInstance,
  type EnterNodeCommand,
  type LeaveNodeCommand,
  type TakeFlowCommand,
  type CancelActivityInstanceCommand,
} from './modification-primitives';
export {
  InstanceSession,
  type SessionOptions,
  type StartOptions,
  type SuspendableEntity,
} from './instance-session';
export { TokenRunner, type RunnerOptions } from './token-runner';
export { EngineRun } from './engine-run';
export { InstanceDraft, type InstanceHeader } from './instance-draft';
export { createBoundaryTriggers, fireBoundaryEvent, type BoundaryTrigger } from './boundary-events';
export { elementsReaching } from './reachability';

export {
  activityInstanceTree,
  type ActivityInstanceDto,
  type ActivityInstanceIncidentDto,
  type TransitionInstanceDto,
} from './activity-instance-tree';

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
  type MigrationOutcome,
} from './migration/migration-operations';

export {
  describeModification,
  fromRestTriggerVariables,
  type CancelActivityInstanceInstruction,
  type CancelActivityInstruction,
  type CancelInstruction,
  type CancelTransitionInstanceInstruction,
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
