/**
 * The public migration operations. Each instance is validated (reference §10.5) before it is migrated
 * (§10.6); a plan is validated once. For batches, compile the plan once and migrate many instances
 * with it: every instance gets its own outcome, so one bad instance does not stop the others.
 */
import type { EngineResult } from '../state/engine-effects';
import { MigratingProcessInstanceValidationException, ProcessEngineException } from '../errors';
import type { EngineContext, ProcessInstanceState } from '../state/instance-state';
import { compileMigrationPlan, type CompiledMigrationPlan } from './compiled-plan';
import { applyMigration, type MigrationOptions } from './instance-migration';
import { validateInstance } from './instance-validation';
import type { MigrationDefinition, MigrationPlan } from './migration-plan';
import {
  instanceReportHasFailures,
  type MigratingProcessInstanceValidationReport,
} from './migration-reports';

/**
 * What happened to one instance of a batch: its new state and effects, or the engine error that
 * refused it (with the instance report when the instance validation failed).
 */
export type { MigrationOptions };

export type MigrationOutcome =
  | { readonly ok: true; readonly processInstanceId: string; readonly result: EngineResult }
  | {
      readonly ok: false;
      readonly processInstanceId: string;
      readonly error: ProcessEngineException;
      readonly report: MigratingProcessInstanceValidationReport | null;
    };

/**
 * The instance report of `state` for `plan` (Camunda's §2.5 shape); no failures listed means the
 * instance can be migrated.
 * @throws MigrationPlanValidationException for an invalid plan; ProcessEngineException ENGINE-23003
 * (ended instance), ENGINE-23010 (tenant) or ENGINE-23002 (other definition).
 */
export function validateMigratingInstance(
  source: MigrationDefinition,
  target: MigrationDefinition,
  plan: MigrationPlan,
  state: ProcessInstanceState,
): MigratingProcessInstanceValidationReport {
  return validateInstance(compileMigrationPlan(source, target, plan), state);
}

/**
 * Migrates one instance to the target definition: same activity-instance, task and variable ids,
 * re-pointed activities, new scopes and triggers where the target needs them. The input is untouched.
 * @throws MigrationPlanValidationException for an invalid plan; MigratingProcessInstanceValidationException
 * (ENGINE-23004) when the instance cannot be migrated; ProcessEngineException as in
 * {@link validateMigratingInstance}, or from evaluating a new trigger.
 */
export function migrateInstance(
  source: MigrationDefinition,
  target: MigrationDefinition,
  plan: MigrationPlan,
  state: ProcessInstanceState,
  ctx: EngineContext,
  options: MigrationOptions = {},
): EngineResult {
  return migrateInstanceWithPlan(compileMigrationPlan(source, target, plan), state, ctx, options);
}

/**
 * Migrates many instances with one plan, each on its own (a batch's items).
 * @throws MigrationPlanValidationException once for an invalid plan; per-instance engine errors are
 * returned as outcomes, anything else (a bug) is thrown.
 */
export function migrateInstances(
  source: MigrationDefinition,
  target: MigrationDefinition,
  plan: MigrationPlan,
  states: readonly ProcessInstanceState[],
  ctx: EngineContext,
  options: MigrationOptions = {},
): MigrationOutcome[] {
  return migrateInstancesWithPlan(compileMigrationPlan(source, target, plan), states, ctx, options);
}

/** {@link validateMigratingInstance} with a compiled plan. */
export function validateInstanceWithPlan(
  plan: CompiledMigrationPlan,
  state: ProcessInstanceState,
): MigratingProcessInstanceValidationReport {
  return validateInstance(plan, state);
}

/** {@link migrateInstance} with a compiled plan: costs O(size of the instance). */
export function migrateInstanceWithPlan(
  plan: CompiledMigrationPlan,
  state: ProcessInstanceState,
  ctx: EngineContext,
  options: MigrationOptions = {},
): EngineResult {
  const report = validateInstance(plan, state);
  if (instanceReportHasFailures(report)) throw new MigratingProcessInstanceValidationException(report);
  return applyMigration(plan, state, ctx, options);
}

/** {@link migrateInstances} with a compiled plan. */
export function migrateInstancesWithPlan(
  plan: CompiledMigrationPlan,
  states: readonly ProcessInstanceState[],
  ctx: EngineContext,
  options: MigrationOptions = {},
): MigrationOutcome[] {
  return states.map((state) => {
    try {
      const result = migrateInstanceWithPlan(plan, state, ctx, options);
      return { ok: true, processInstanceId: state.id, result };
    } catch (error) {
      if (!(error instanceof ProcessEngineException)) throw error;
      const report =
        error instanceof MigratingProcessInstanceValidationException ? error.validationReport : null;
      return { ok: false, processInstanceId: state.id, error, report };
    }
  });
}
