/**
 * Validation reports in the exact REST shapes of Camunda (reference §2.4, §2.5) and the texts of the
 * ENGINE-23001 / ENGINE-23004 messages built from them. Plan reports name the instruction
 * `instruction`; instance reports name it `migrationInstruction` (a Camunda asymmetry kept on purpose).
 */
import { describeInstruction, type MigrationInstructionDto } from './migration-plan';

/** One failing instruction of a plan. */
export interface MigrationInstructionValidationReport {
  readonly instruction: MigrationInstructionDto;
  readonly failures: readonly string[];
}

/** One failing plan variable, echoing what the client sent. */
export interface MigrationVariableValidationReport {
  readonly type: string | null;
  readonly value: unknown;
  readonly valueInfo: Readonly<Record<string, unknown>>;
  readonly failures: readonly string[];
}

/**
 * Camunda's `MigrationPlanReportDto`. Only failing instructions and variables are listed; a valid
 * plan has `{instructionReports: [], variableReports: {}}`.
 */
export interface MigrationPlanReport {
  readonly instructionReports: readonly MigrationInstructionValidationReport[];
  readonly variableReports: Readonly<Record<string, MigrationVariableValidationReport>>;
}

export interface MigratingActivityInstanceValidationReport {
  /** The instruction that applies to the instance's activity, or `null` when none does. */
  readonly migrationInstruction: MigrationInstructionDto | null;
  readonly activityInstanceId: string;
  readonly sourceScopeId: string;
  readonly failures: readonly string[];
}

/** Asynchronous continuations; this engine has none, so the list is always empty. */
export interface MigratingTransitionInstanceValidationReport {
  readonly migrationInstruction: MigrationInstructionDto | null;
  readonly transitionInstanceId: string;
  readonly sourceScopeId: string;
  readonly failures: readonly string[];
}

/** Camunda's `MigratingProcessInstanceValidationReportDto`; only failing instances are listed. */
export interface MigratingProcessInstanceValidationReport {
  readonly processInstanceId: string;
  readonly failures: readonly string[];
  readonly activityInstanceValidationReports: readonly MigratingActivityInstanceValidationReport[];
  readonly transitionInstanceValidationReports: readonly MigratingTransitionInstanceValidationReport[];
}

/** Whether a plan report lists any failure. */
export function planReportHasFailures(report: MigrationPlanReport): boolean {
  return report.instructionReports.length > 0 || Object.keys(report.variableReports).length > 0;
}

/** Whether an instance report lists any failure. */
export function instanceReportHasFailures(report: MigratingProcessInstanceValidationReport): boolean {
  return (
    report.failures.length > 0 ||
    report.activityInstanceValidationReports.length > 0 ||
    report.transitionInstanceValidationReports.length > 0
  );
}

/** `MigrationPlanValidationReportImpl.writeTo`, without the ENGINE prefix. */
export function describePlanReport(
  report: MigrationPlanReport,
  sourceDefinitionId: string,
  targetDefinitionId: string,
): string {
  let text = `Migration plan for process definition '${sourceDefinitionId}' to '${targetDefinitionId}' is not valid:\n`;
  for (const { instruction, failures } of report.instructionReports) {
    const described = describeInstruction({
      sourceActivityId: instruction.sourceActivityIds[0] ?? null,
      targetActivityId: instruction.targetActivityIds[0] ?? null,
      updateEventTrigger: instruction.updateEventTrigger,
    });
    text += `\t Migration instruction ${described} is not valid:\n`;
    for (const failure of failures) text += `\t\t${failure}\n`;
  }
  for (const [name, { failures }] of Object.entries(report.variableReports)) {
    text += `\t Migration variable ${name} is not valid:\n`;
    for (const failure of failures) text += `\t\t${failure}\n`;
  }
  return text;
}

/** `MigratingProcessInstanceValidationReportImpl.writeTo`, without the ENGINE prefix. */
export function describeInstanceReport(report: MigratingProcessInstanceValidationReport): string {
  let text = `Cannot migrate process instance '${report.processInstanceId}':\n`;
  for (const failure of report.failures) text += `\t${failure}\n`;
  for (const activityReport of report.activityInstanceValidationReports) {
    text += `\tCannot migrate activity instance '${activityReport.activityInstanceId}':\n`;
    for (const failure of activityReport.failures) text += `\t\t${failure}\n`;
  }
  for (const transitionReport of report.transitionInstanceValidationReports) {
    text += `\tCannot migrate transition instance '${transitionReport.transitionInstanceId}':\n`;
    for (const failure of transitionReport.failures) text += `\t\t${failure}\n`;
  }
  return text;
}
