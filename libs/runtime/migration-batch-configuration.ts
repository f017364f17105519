import { z } from 'zod';
import type { MigrationPlan } from '@libs/engine';

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

/** What a migration batch runs: a (valid) plan and the skip options. */
export interface MigrationBatchPlan {
  readonly plan: MigrationPlan;
  readonly skipCustomListeners: boolean;
  readonly skipIoMappings: boolean;
}

/**
 * The one mapping between a migration batch's plan and its stored configuration, both ways: `store`
 * when the batch is created, `read` when a worker prepares it. `read(JSON.stringify(store(p)))` gives
 * `p` back, with absent instruction fields as the plan's defaults (`updateEventTrigger` false).
 */
export const migrationBatchConfiguration = {
  store({ plan, skipCustomListeners, skipIoMappings }: MigrationBatchPlan): MigrationBatchConfiguration {
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
      skipListeners: skipCustomListeners,
      skipIoMappings,
    };
  },

  /** @throws ZodError (or SyntaxError) for a configuration this mapping did not store. */
  read(configuration: string): MigrationBatchPlan {
    const { migrationPlan, skipListeners, skipIoMappings } = configurationSchema.parse(
      JSON.parse(configuration),
    );
    return {
      plan: {
        sourceProcessDefinitionId: migrationPlan.sourceProcessDefinitionId,
        targetProcessDefinitionId: migrationPlan.targetProcessDefinitionId,
        instructions: migrationPlan.instructions.map((instruction) => ({
          sourceActivityId: instruction.sourceActivityIds[0]!,
          targetActivityId: instruction.targetActivityIds[0]!,
          updateEventTrigger: instruction.updateEventTrigger,
        })),
        variables: migrationPlan.variables,
      },
      skipCustomListeners: skipListeners,
      skipIoMappings,
    };
  },
};
