import { z } from 'zod';

const configurationSchema = z.object({ deleteReason: z.string().nullable(), failIfNotExists: z.boolean() });

/** The stored configuration of a `historic-process-instance-deletion` batch, and what it runs. */
export type HistoricDeletionBatchConfiguration = z.infer<typeof configurationSchema>;

/** The one mapping between a history deletion batch's plan and its stored configuration, both ways. */
export const historicDeletionBatchConfiguration = {
  store(plan: HistoricDeletionBatchConfiguration): HistoricDeletionBatchConfiguration {
    return { deleteReason: plan.deleteReason, failIfNotExists: plan.failIfNotExists };
  },

  /** @throws ZodError (or SyntaxError) for a configuration this mapping did not store. */
  read(configuration: string): HistoricDeletionBatchConfiguration {
    return configurationSchema.parse(JSON.parse(configuration));
  },
};
