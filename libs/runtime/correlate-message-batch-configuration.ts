import { z } from 'zod';
import type { VariableMap } from '@libs/engine';
import { restoreVariables, storedVariablesSchema, storeVariables } from './set-variables-batch-configuration';

const configurationSchema = z.object({ messageName: z.string(), variables: storedVariablesSchema });

/** What a `correlate-message` batch delivers to each instance. */
export interface CorrelateMessagePlan {
  readonly messageName: string;
  readonly variables: VariableMap;
}

/** The one mapping between a `correlate-message` batch's message and its stored configuration, both ways. */
export const correlateMessageBatchConfiguration = {
  store({ messageName, variables }: CorrelateMessagePlan): z.infer<typeof configurationSchema> {
    return { messageName, variables: storeVariables(variables) };
  },

  /** @throws ZodError (or SyntaxError) for a configuration this mapping did not store. */
  read(configuration: string): CorrelateMessagePlan {
    const stored = configurationSchema.parse(JSON.parse(configuration));
    return { messageName: stored.messageName, variables: restoreVariables(stored.variables) };
  },
};
