/**
 * The migration plan as the engine reads it (reference §10.1): one-to-one instructions from source
 * activities to target activities, plus optional variables for the process instance. The definitions
 * travel with their deployed ids, which appear in reports, messages and the migrated state.
 */
import type { ProcessModel } from '@libs/bpmn';
import type { RestVariableValue } from '../state/rest-variables';

/** A deployed process definition: its id (`key:version:uuid`), parsed model and tenant. */
export interface MigrationDefinition {
  readonly id: string;
  readonly model: ProcessModel;
  /** `null`/absent: the definition belongs to no tenant. */
  readonly tenantId?: string | null;
}

/**
 * One instruction. Ids may be `null` when a client sent none (reported as "… id is null", as Camunda
 * does). `updateEventTrigger` defaults to `false` (keep the old trigger).
 */
export interface MigrationInstruction {
  readonly sourceActivityId: string | null;
  readonly targetActivityId: string | null;
  readonly updateEventTrigger?: boolean | null;
}

/**
 * A plan between two definitions. `variables` are REST variable values (`{type, value, valueInfo}`),
 * set on the process instance after it migrated; they are echoed in validation reports.
 */
export interface MigrationPlan {
  readonly sourceProcessDefinitionId: string;
  readonly targetProcessDefinitionId: string;
  readonly instructions: readonly MigrationInstruction[];
  readonly variables?: Readonly<Record<string, RestVariableValue>> | null;
}

/** Camunda's REST `MigrationInstructionDto`: 1-element id arrays, `updateEventTrigger` always set. */
export interface MigrationInstructionDto {
  readonly sourceActivityIds: readonly (string | null)[];
  readonly targetActivityIds: readonly (string | null)[];
  readonly updateEventTrigger: boolean;
}

/** Camunda's REST `MigrationPlanDto`, e.g. for the response of `/migration/generate`. */
export interface MigrationPlanDto {
  readonly sourceProcessDefinitionId: string;
  readonly targetProcessDefinitionId: string;
  readonly instructions: readonly MigrationInstructionDto[];
  readonly variables: Readonly<Record<string, RestVariableValue>> | null;
}

/** The REST shape of an instruction, as reports and `/migration/generate` show it. */
export function migrationInstructionDto(instruction: MigrationInstruction): MigrationInstructionDto {
  return {
    sourceActivityIds: [instruction.sourceActivityId],
    targetActivityIds: [instruction.targetActivityId],
    updateEventTrigger: instruction.updateEventTrigger ?? false,
  };
}

/** The REST shape of a plan. */
export function migrationPlanDto(plan: MigrationPlan): MigrationPlanDto {
  return {
    sourceProcessDefinitionId: plan.sourceProcessDefinitionId,
    targetProcessDefinitionId: plan.targetProcessDefinitionId,
    instructions: plan.instructions.map(migrationInstructionDto),
    variables: plan.variables ?? null,
  };
}

/** Java's `MigrationInstructionImpl.toString()`, used in the ENGINE-23001 message. */
export function describeInstruction(instruction: MigrationInstruction): string {
  const source = instruction.sourceActivityId ?? 'null';
  const target = instruction.targetActivityId ?? 'null';
  const update = String(instruction.updateEventTrigger ?? false);
  return `MigrationInstructionImpl{sourceActivityId='${source}', targetActivityId='${target}', updateEventTrigger='${update}'}`;
}
