import { z } from 'zod';

const configurationSchema = z.object({ deleteReason: z.string().nullable() });

/** The stored configuration of an `instance-deletion` batch, and what the batch runs. */
export type DeletionBatchConfiguration = z.infer<typeof configurationSchema>;

/**
 * The one mapping between a deletion batch's plan and its stored configuration, both ways (the stored
 * form is the plan itself).
 */
export const deletionBatchConfiguration = {
  store(plan: DeletionBatchConfiguration): DeletionBatchConfiguration {
    return { deleteReason: plan.deleteReason };
  },

  /** @throws ZodError (or SyntaxError) for a configuration this mapping did not store. */
  read(configuration: string): DeletionBatchConfiguration {
    return configurationSchema.parse(JSON.parse(configuration));
  },
};
