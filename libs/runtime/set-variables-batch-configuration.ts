import { z } from 'zod';
import { fromRestVariables, toRestVariable, type VariableMap } from '@libs/engine';

/** Typed values as a batch configuration stores them: their REST form, dates as ISO-8601 text. */
export const storedVariablesSchema = z.record(
  z.string(),
  z.object({ type: z.string(), value: z.unknown(), valueInfo: z.record(z.string(), z.unknown()) }),
);

export function storeVariables(variables: VariableMap): z.infer<typeof storedVariablesSchema> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      const rest = toRestVariable(value);
      return [name, { ...rest, value: rest.value instanceof Date ? rest.value.toISOString() : rest.value }];
    }),
  );
}

export function restoreVariables(stored: z.infer<typeof storedVariablesSchema>): VariableMap {
  return fromRestVariables(stored);
}

const configurationSchema = z.object({ variables: storedVariablesSchema });

/** What a `set-variables` batch sets on each instance. */
export interface SetVariablesPlan {
  readonly variables: VariableMap;
}

/**
 * The one mapping between a `set-variables` batch's variables and its stored configuration, both
 * ways: `read(JSON.stringify(store(p)))` gives `p` back.
 */
export const setVariablesBatchConfiguration = {
  store({ variables }: SetVariablesPlan): z.infer<typeof configurationSchema> {
    return { variables: storeVariables(variables) };
  },

  /** @throws ZodError (or SyntaxError) for a configuration this mapping did not store. */
  read(configuration: string): SetVariablesPlan {
    return { variables: restoreVariables(configurationSchema.parse(JSON.parse(configuration)).variables) };
  },
};
