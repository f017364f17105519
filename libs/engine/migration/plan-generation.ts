/**
 * Plan generation, Camunda's `mapEqualActivities` (reference §10.3): scope by scope from the two
 * processes, each source activity is paired with the activity of the same id in the corresponding
 * target scope when both may be migrated; after each scope the generated set is filtered by the
 * instruction validators, and the generator only descends into sub-processes whose instruction
 * survived (so nothing inside a renamed sub-process is generated), multi-instance bodies included.
 * The two multi-instance inner-activity validators run once at the end, so a body and its inner
 * activity are generated together. Invalid candidates are dropped silently.
 */
import { MigrationPlanValidationException } from '../errors';
import type { RestVariableValue } from '../state/rest-variables';
import { definesPersistentEventTrigger, isConditionalEvent, isGeneratable } from './activity-compatibility';
import { InstructionIndex, validateInstruction, type ResolvedInstruction } from './instruction-validators';
import type { MigrationDefinition, MigrationPlan } from './migration-plan';
import { readPlanVariables } from './plan-variables';
import { requireSameDefinitions } from './plan-validation';

export interface GenerateMigrationPlanOptions {
  /** Set `updateEventTrigger` on every generated instruction whose source has a persistent trigger. */
  readonly updateEventTriggers?: boolean;
  /** Echoed into the plan after validation. */
  readonly variables?: Readonly<Record<string, RestVariableValue>> | null;
}

/**
 * A plan mapping every equal activity of `source` to `target`. Instructions are listed scope by
 * scope in document order (Camunda leaves the order undefined).
 * @throws MigrationPlanValidationException when a variable cannot be set; ProcessEngineException
 * ENGINE-2309 for definitions of different tenants; InvalidVariableValueException for bad values.
 */
export function generateMigrationPlan(
  source: MigrationDefinition,
  target: MigrationDefinition,
  options: GenerateMigrationPlanOptions = {},
): MigrationPlan {
  requireSameDefinitions(source, target);
  const variables = readPlanVariables(options.variables);
  if (Object.keys(variables.reports).length > 0) {
    throw new MigrationPlanValidationException(
      { instructionReports: [], variableReports: variables.reports },
      source.id,
      target.id,
    );
  }
  const generated: ResolvedInstruction[] = [];
  generateInScope(
    source,
    target,
    source.model.id,
    target.model.id,
    generated,
    options.updateEventTriggers ?? false,
  );
  // Bodies and their inner activities are generated in turn; only now can they be checked in pairs.
  const valid = filterValid(generated, source, target, true);
  return {
    sourceProcessDefinitionId: source.id,
    targetProcessDefinitionId: target.id,
    instructions: valid.map((instruction) => ({
      sourceActivityId: instruction.source.id,
      targetActivityId: instruction.target.id,
      updateEventTrigger: instruction.updateEventTrigger,
    })),
    variables: options.variables ?? null,
  };
}

function generateInScope(
  source: MigrationDefinition,
  target: MigrationDefinition,
  sourceScopeId: string,
  targetScopeId: string,
  instructions: ResolvedInstruction[],
  updateEventTriggers: boolean,
): void {
  const mapped = new Set(instructions.map((instruction) => instruction.source.id));
  const fresh: ResolvedInstruction[] = [];
  for (const activityId of source.model.childrenOfScope.get(sourceScopeId) ?? []) {
    const sourceNode = source.model.nodes.get(activityId);
    const targetNode = target.model.nodes.get(activityId);
    if (sourceNode === undefined || targetNode === undefined || mapped.has(activityId)) continue;
    if (
      targetNode.scopeId !== targetScopeId ||
      !isGeneratable(source.model, sourceNode) ||
      !isGeneratable(target.model, targetNode)
    )
      continue;
    // A conditional event always migrates with its trigger updated, as Camunda generates it.
    const updateEventTrigger =
      (updateEventTriggers && definesPersistentEventTrigger(sourceNode)) || isConditionalEvent(sourceNode);
    fresh.push({ source: sourceNode, target: targetNode, updateEventTrigger });
  }
  const valid = filterValid([...instructions, ...fresh], source, target, false);
  instructions.splice(0, instructions.length, ...valid);
  for (const instruction of fresh) {
    if (!source.model.childrenOfScope.has(instruction.source.id) || !instructions.includes(instruction)) {
      continue;
    }
    generateInScope(
      source,
      target,
      instruction.source.id,
      instruction.target.id,
      instructions,
      updateEventTriggers,
    );
  }
}

/**
 * The instructions that pass every validator against the whole set (removed all at once); the
 * multi-instance inner-activity validators only when `withInnerActivityChecks`.
 */
function filterValid(
  instructions: readonly ResolvedInstruction[],
  source: MigrationDefinition,
  target: MigrationDefinition,
  withInnerActivityChecks: boolean,
): ResolvedInstruction[] {
  const index = new InstructionIndex(instructions, source.model, target.model);
  return instructions.filter(
    (instruction) => validateInstruction(instruction, index, withInnerActivityChecks).length === 0,
  );
}
