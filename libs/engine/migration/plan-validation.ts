/**
 * Creation-time validation of a migration plan (reference §10.2): definitions and tenants, variables,
 * instruction resolution, then every instruction validator. Produces Camunda's plan report.
 */
import { ProcessEngineException } from '../errors';
import type { MigrationDefinition, MigrationInstruction, MigrationPlan } from './migration-plan';
import { migrationInstructionDto } from './migration-plan';
import type { MigrationInstructionValidationReport, MigrationPlanReport } from './migration-reports';
import { readPlanVariables, type PlanVariables } from './plan-variables';
import { InstructionIndex, validateInstruction, type ResolvedInstruction } from './instruction-validators';

/** A validated plan's parts: the report, the resolvable instructions and the typed variables. */
export interface PlanValidation {
  readonly report: MigrationPlanReport;
  readonly index: InstructionIndex;
  readonly variables: PlanVariables;
}

/**
 * Validates `plan` between `source` and `target` and returns Camunda's plan report: an empty report
 * (`{instructionReports: [], variableReports: {}}`) for a valid plan. Failing instructions are listed
 * in plan order with all their failures.
 * @throws ProcessEngineException ENGINE-2309 when both definitions have different tenants, or when
 * the plan names other definitions than `source`/`target`; InvalidVariableValueException for plan
 * variables that do not convert.
 */
export function validateMigrationPlan(
  source: MigrationDefinition,
  target: MigrationDefinition,
  plan: MigrationPlan,
): MigrationPlanReport {
  return checkMigrationPlan(source, target, plan).report;
}

/** {@link validateMigrationPlan} with the resolved instructions and variables kept for execution. */
export function checkMigrationPlan(
  source: MigrationDefinition,
  target: MigrationDefinition,
  plan: MigrationPlan,
): PlanValidation {
  requireSameDefinitions(source, target, plan);
  const variables = readPlanVariables(plan.variables);
  const resolutions = plan.instructions.map((instruction) => resolve(source, target, instruction));
  const resolved = resolutions.flatMap((r) => (r.instruction === null ? [] : [r.instruction]));
  const index = new InstructionIndex(resolved, source.model, target.model);
  const instructionReports: MigrationInstructionValidationReport[] = [];
  plan.instructions.forEach((instruction, position) => {
    const resolution = resolutions[position] as Resolution;
    const failures =
      resolution.instruction === null
        ? resolution.failures
        : validateInstruction(resolution.instruction, index);
    if (failures.length > 0) {
      instructionReports.push({ instruction: migrationInstructionDto(instruction), failures });
    }
  });
  return { report: { instructionReports, variableReports: variables.reports }, index, variables };
}

/**
 * Checks that the plan belongs to the definitions and that they may be combined (ENGINE-2309).
 * @throws ProcessEngineException
 */
export function requireSameDefinitions(
  source: MigrationDefinition,
  target: MigrationDefinition,
  plan?: MigrationPlan,
): void {
  if (
    plan !== undefined &&
    (plan.sourceProcessDefinitionId !== source.id || plan.targetProcessDefinitionId !== target.id)
  ) {
    throw new ProcessEngineException(
      `The migration plan from '${plan.sourceProcessDefinitionId}' to '${plan.targetProcessDefinitionId}' does not belong to the definitions '${source.id}' and '${target.id}'`,
    );
  }
  const [sourceTenant, targetTenant] = [source.tenantId ?? null, target.tenantId ?? null];
  if (sourceTenant !== null && targetTenant !== null && sourceTenant !== targetTenant) {
    throw new ProcessEngineException(
      `ENGINE-2309 Cannot migrate process instances between processes of different tenants ('${sourceTenant}' != '${targetTenant}')`,
    );
  }
}

type Resolution =
  | { readonly instruction: ResolvedInstruction; readonly failures: readonly [] }
  | { readonly instruction: null; readonly failures: string[] };

function resolve(
  source: MigrationDefinition,
  target: MigrationDefinition,
  instruction: MigrationInstruction,
): Resolution {
  const { sourceActivityId, targetActivityId } = instruction;
  if (sourceActivityId === null || targetActivityId === null) {
    const failures: string[] = [];
    if (sourceActivityId === null) failures.push('Source activity id is null');
    if (targetActivityId === null) failures.push('Target activity id is null');
    return { instruction: null, failures };
  }
  const sourceNode = source.model.nodes.get(sourceActivityId);
  const targetNode = target.model.nodes.get(targetActivityId);
  if (sourceNode === undefined || targetNode === undefined) {
    const failures: string[] = [];
    if (sourceNode === undefined) failures.push(`Source activity '${sourceActivityId}' does not exist`);
    if (targetNode === undefined) failures.push(`Target activity '${targetActivityId}' does not exist`);
    return { instruction: null, failures };
  }
  const updateEventTrigger = instruction.updateEventTrigger ?? false;
  return { instruction: { source: sourceNode, target: targetNode, updateEventTrigger }, failures: [] };
}
