import { z } from 'zod';
import { fromRestVariables, toRestVariable, type VariableMap } from '@libs/engine';

const configurationSchema = z.object({
  variables: z.record(
    z.string(),
    z.object({ type: z.string(), value: z.unknown(), valueInfo: z.record(z.string(), z.unknown()) }),
  ),
});

/** What a `set-variables` batch sets on each instance. */
export interface SetVariablesPlan {
  readonly variables: VariableMap;
}

/**
 * The one mapping between a `set-variables` batch's variables and its stored configuration (the REST
 * form of each typed value, dates as ISO-8601 text), both ways: `read(JSON.stringify(store(p)))` gives
 * `p` back.
 */
export const setVariablesBatchConfiguration = {
  store({ variables }: SetVariablesPlan): z.infer<typeof configurationSchema> {
    return {
      variables: Object.fromEntries(
        Object.entries(variables).map(([name, value]) => {
          const rest = toRestVariable(value);
          return [
            name,
            { ...rest, value: rest.value instanceof Date ? rest.value.toISOString() : rest.value },
          ];
        }),
      ),
    };
  },

  /** @throws ZodError (or SyntaxError) for a configuration this mapping did not store. */
  read(configuration: string): SetVariablesPlan {
    return { variables: fromRestVariables(configurationSchema.parse(JSON.parse(configuration)).variables) };
  },
};
