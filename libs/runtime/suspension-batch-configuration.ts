import { z } from 'zod';

const configurationSchema = z.object({ suspended: z.boolean() });

/** The stored configuration of an `instance-update-suspension-state` batch: suspend or activate. */
export type SuspensionBatchConfiguration = z.infer<typeof configurationSchema>;

/** The one mapping between a suspension batch's plan and its stored configuration, both ways. */
export const suspensionBatchConfiguration = {
  store(plan: SuspensionBatchConfiguration): SuspensionBatchConfiguration {
    return { suspended: plan.suspended };
  },

  /** @throws ZodError (or SyntaxError) for a configuration this mapping did not store. */
  read(configuration: string): SuspensionBatchConfiguration {
    return configurationSchema.parse(JSON.parse(configuration));
  },
};
