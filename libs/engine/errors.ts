/**
 * The engine's exceptions, named like Camunda's Java classes because the class name is the `type`
 * field of every REST error body. They carry no HTTP knowledge: libs/http maps them to a status.
 */
import {
  describeInstanceReport,
  describePlanReport,
  type MigratingProcessInstanceValidationReport,
  type MigrationPlanReport,
} from './migration/migration-reports';

export class ProcessEngineException extends Error {
  /** Camunda's exception code: 0 unless a more specific built-in code applies. */
  readonly code: number = 0;

  /** Extra fields merged into the REST error body (e.g. `validationReport`, `details`). */
  readonly extensions: Readonly<Record<string, unknown>> = {};

  constructor(message: string, options?: { cause?: unknown; extensions?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options?.extensions) this.extensions = options.extensions;
  }

  /** The Camunda exception type, i.e. the simple Java class name. */
  get type(): string {
    return this.name;
  }
}

/** Bad input from the caller (HTTP 400 family). */
export class BadUserRequestException extends ProcessEngineException {}

/** What a {@link NotFoundException} is about: the kind of entity that was looked up. */
export type EngineEntity =
  | 'processDefinition'
  | 'processInstance'
  | 'activityInstance'
  | 'task'
  | 'externalTask'
  | 'job'
  | 'jobDefinition'
  | 'eventSubscription';

/**
 * A looked-up entity does not exist. `entity` and `id` say which one, so callers decide by data, never
 * by the message (they are absent where no caller needs to tell the cases apart).
 */
export class NotFoundException extends BadUserRequestException {
  readonly entity?: EngineEntity;
  readonly id?: string;

  constructor(message: string, about?: { entity: EngineEntity; id: string }) {
    super(message);
    this.entity = about?.entity;
    this.id = about?.id;
  }
}

/** Camunda's `Process instance with id <id> does not exist`, about that instance. */
export function processInstanceNotFound(id: string): NotFoundException {
  return new NotFoundException(`Process instance with id ${id} does not exist`, {
    entity: 'processInstance',
    id,
  });
}
export class NotValidException extends BadUserRequestException {}
/** A required value was missing deep inside the engine (Camunda answers 500 for it). */
export class NullValueException extends ProcessEngineException {}
/** Two writers raced on the same row; the loser's change was not applied. */
export class OptimisticLockingException extends ProcessEngineException {
  override readonly code = 1;
}
/** A BPMN resource could not be deployed; `details` lists errors per resource. */
export class ParseException extends ProcessEngineException {}
export class AuthorizationException extends ProcessEngineException {}
/** The operation needs an active entity but the process instance (or its task, job…) is suspended. */
export class SuspendedEntityInteractionException extends ProcessEngineException {}
/**
 * A claim on a task that another user has already claimed (Camunda's `TaskAlreadyClaimedException`,
 * an engine error Camunda reports as 500; the REST layer answers 400).
 */
export class TaskAlreadyClaimedException extends ProcessEngineException {
  constructor(
    readonly taskId: string,
    readonly taskAssignee: string,
  ) {
    super(`Task '${taskId}' is already claimed by someone else.`);
  }
}
/** A message correlation by name matched no waiting execution, or more than one. */
export class MismatchingMessageCorrelationException extends ProcessEngineException {}
/**
 * A variable value does not fit its declared type, or the type is unknown. The REST layer reports it
 * as Camunda does, as a 400 `InvalidRequestException` with this message.
 */
export class InvalidVariableValueException extends BadUserRequestException {}

/**
 * A migration plan failed creation-time validation (ENGINE-23001). A BadUserRequestException, as in
 * Camunda, so it maps to 400; `/migration/generate` turns it into a plain InvalidRequestException.
 * The REST body carries the report as `validationReport`.
 */
export class MigrationPlanValidationException extends BadUserRequestException {
  readonly validationReport: MigrationPlanReport;

  constructor(report: MigrationPlanReport, sourceDefinitionId: string, targetDefinitionId: string) {
    super(`ENGINE-23001 ${describePlanReport(report, sourceDefinitionId, targetDefinitionId)}`, {
      extensions: { validationReport: report },
    });
    this.validationReport = report;
  }
}

/**
 * A process instance cannot be migrated with a (valid) plan (ENGINE-23004). Not a bad-request
 * exception in Camunda's hierarchy; the REST layer maps it to 400 by its type name. The REST body
 * carries the report as `validationReport`.
 */
export class MigratingProcessInstanceValidationException extends ProcessEngineException {
  readonly validationReport: MigratingProcessInstanceValidationReport;

  constructor(report: MigratingProcessInstanceValidationReport) {
    super(`ENGINE-23004 ${describeInstanceReport(report)}`, { extensions: { validationReport: report } });
    this.validationReport = report;
  }
}
