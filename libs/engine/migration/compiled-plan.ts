/**
 * A validated migration plan prepared for execution: everything that depends only on the plan and the
 * two models (instruction lookup, target activity types, the triggers each target activity declares,
 * typed variables) is computed once, so validating and migrating an instance costs O(its size).
 * Compile once per batch (or per execution job) and reuse it for every instance.
 */
import type { FlowNode } from '@libs/bpmn';
import { activityTypeOf } from '../execution/activity-types';
import { MigrationPlanValidationException } from '../errors';
import type { ActivityType } from '../state/instance-state';
import type { VariableMap } from '../state/typed-value';
import { triggerOwnerOf, triggersDeclaredBy, type TriggerDeclaration } from './activity-compatibility';
import {
  migrationInstructionDto,
  type MigrationDefinition,
  type MigrationInstructionDto,
  type MigrationPlan,
} from './migration-plan';
import { planReportHasFailures } from './migration-reports';
import { checkMigrationPlan } from './plan-validation';

/** One instruction of a compiled plan. */
export interface CompiledInstruction {
  readonly source: FlowNode;
  readonly target: FlowNode;
  readonly targetActivityType: ActivityType;
  readonly updateEventTrigger: boolean;
  /** As reports show it (`migrationInstruction`). */
  readonly dto: MigrationInstructionDto;
  /** The triggers an instance of the target activity owns: its own wait first, then boundary events. */
  readonly targetTriggers: readonly TriggerDeclaration[];
}

/** A valid plan ready to validate and migrate instances; immutable and shareable. */
export class CompiledMigrationPlan {
  private constructor(
    readonly source: MigrationDefinition,
    readonly target: MigrationDefinition,
    readonly plan: MigrationPlan,
    /** Typed plan variables, set on each migrated process instance. */
    readonly variables: VariableMap,
    private readonly bySource: ReadonlyMap<string, CompiledInstruction>,
    /** The triggers the target's root owns: its event sub-processes' start events. */
    readonly rootTriggers: readonly TriggerDeclaration[],
  ) {}

  /**
   * Validates `plan` and prepares it.
   * @throws MigrationPlanValidationException (ENGINE-23001) with the report when the plan is invalid;
   * see `validateMigrationPlan` for the other errors.
   */
  static compile(
    source: MigrationDefinition,
    target: MigrationDefinition,
    plan: MigrationPlan,
  ): CompiledMigrationPlan {
    const { report, index, variables } = checkMigrationPlan(source, target, plan);
    if (planReportHasFailures(report)) {
      throw new MigrationPlanValidationException(report, source.id, target.id);
    }
    const bySource = new Map<string, CompiledInstruction>();
    for (const instruction of index.instructions) {
      bySource.set(instruction.source.id, {
        source: instruction.source,
        target: instruction.target,
        targetActivityType: activityTypeOf(instruction.target),
        updateEventTrigger: instruction.updateEventTrigger,
        dto: migrationInstructionDto({
          sourceActivityId: instruction.source.id,
          targetActivityId: instruction.target.id,
          updateEventTrigger: instruction.updateEventTrigger,
        }),
        targetTriggers: triggersDeclaredBy(target.model, instruction.target.id),
      });
    }
    const rootTriggers = triggersDeclaredBy(target.model, target.model.id);
    return new CompiledMigrationPlan(source, target, plan, variables.values, bySource, rootTriggers);
  }

  /** The instruction for instances of the source activity `activityId`, if any. */
  instructionFor(activityId: string): CompiledInstruction | undefined {
    return this.bySource.get(activityId);
  }

  /**
   * The instruction that carries a trigger record (subscription or timer job) of the source event
   * `eventActivityId`, owned by an instance migrating to `ownerTargetId`; `undefined` when the record
   * must be removed (its event is not mapped, or mapped to an event another activity owns).
   */
  triggerTarget(eventActivityId: string, ownerTargetId: string): CompiledInstruction | undefined {
    const instruction = this.bySource.get(eventActivityId);
    return instruction !== undefined &&
      triggerOwnerOf(this.target.model, instruction.target) === ownerTargetId
      ? instruction
      : undefined;
  }
}

/** Validates and prepares a plan; see {@link CompiledMigrationPlan.compile}. */
export function compileMigrationPlan(
  source: MigrationDefinition,
  target: MigrationDefinition,
  plan: MigrationPlan,
): CompiledMigrationPlan {
  return CompiledMigrationPlan.compile(source, target, plan);
}
