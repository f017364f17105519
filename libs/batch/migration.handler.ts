import { z } from 'zod';
import { migrateInstanceWithPlan, type MigrationPlan } from '@libs/engine';
import type { InstanceOperation, MigrationService } from '@libs/runtime';
import type { BatchTypeHandler } from './batch-types';

const restVariable = z
  .object({
    value: z.unknown().optional(),
    type: z.string().nullish(),
    valueInfo: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();

const configurationSchema = z.object({
  migrationPlan: z.object({
    sourceProcessDefinitionId: z.string(),
    targetProcessDefinitionId: z.string(),
    instructions: z.array(
      z.object({
        sourceActivityIds: z.array(z.string()).length(1),
        targetActivityIds: z.array(z.string()).length(1),
        updateEventTrigger: z.boolean(),
      }),
    ),
    variables: z.record(z.string(), restVariable).nullable(),
  }),
  skipListeners: z.boolean(),
  skipIoMappings: z.boolean(),
});

/**
 * The stored configuration of an `instance-migration` batch: Camunda's (reference §9.13) without the
 * instance ids (they are the batch's items) and with the plan variables inline (Camunda keeps them as
 * batch variables).
 */
export type MigrationBatchConfiguration = z.infer<typeof configurationSchema>;

/** The configuration of a migration batch for a (valid) plan. */
export function migrationBatchConfiguration(
  plan: MigrationPlan,
  options: { skipCustomListeners?: boolean; skipIoMappings?: boolean },
): MigrationBatchConfiguration {
  return {
    migrationPlan: {
      sourceProcessDefinitionId: plan.sourceProcessDefinitionId,
      targetProcessDefinitionId: plan.targetProcessDefinitionId,
      instructions: plan.instructions.map((instruction) => ({
        sourceActivityIds: [instruction.sourceActivityId ?? ''],
        targetActivityIds: [instruction.targetActivityId ?? ''],
        updateEventTrigger: instruction.updateEventTrigger ?? false,
      })),
      variables: (plan.variables ?? null) as MigrationBatchConfiguration['migrationPlan']['variables'],
    },
    skipListeners: options.skipCustomListeners ?? false,
    skipIoMappings: options.skipIoMappings ?? false,
  };
}

/**
 * `instance-migration`: the plan is compiled once per batch (per process), then each instance is
 * validated and migrated on its own; an instance that cannot be migrated throws the engine's error
 * (e.g. MigratingProcessInstanceValidationException with its report), which fails its item only.
 */
export function migrationHandler(migrations: Pick<MigrationService, 'compile'>): BatchTypeHandler {
  return {
    async prepare(configuration: string): Promise<InstanceOperation> {
      const { migrationPlan } = configurationSchema.parse(JSON.parse(configuration));
      const plan: MigrationPlan = {
        sourceProcessDefinitionId: migrationPlan.sourceProcessDefinitionId,
        targetProcessDefinitionId: migrationPlan.targetProcessDefinitionId,
        instructions: migrationPlan.instructions.map((instruction) => ({
          sourceActivityId: instruction.sourceActivityIds[0]!,
          targetActivityId: instruction.targetActivityIds[0]!,
          updateEventTrigger: instruction.updateEventTrigger,
        })),
        variables: migrationPlan.variables,
      };
      const { compiled } = await migrations.compile(plan);
      return (_model, state, ctx) => migrateInstanceWithPlan(compiled, state, ctx);
    },
  };
}
