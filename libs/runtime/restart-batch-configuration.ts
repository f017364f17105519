import { z } from 'zod';
import type { InstantiationInstruction } from '@libs/engine';

const instructionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('startBeforeActivity'), activityId: z.string() }),
  z.object({ type: z.literal('startAfterActivity'), activityId: z.string() }),
  z.object({ type: z.literal('startTransition'), transitionId: z.string() }),
]);

const configurationSchema = z.object({
  processDefinitionId: z.string(),
  instructions: z.array(instructionSchema),
  initialVariables: z.boolean(),
  skipCustomListeners: z.boolean(),
  skipIoMappings: z.boolean(),
  withoutBusinessKey: z.boolean(),
});

/**
 * How ended instances are restarted (Camunda's `RestartProcessInstancesBatchConfiguration`): on which
 * definition, at which elements (instructions without variables), with the initial or the last variables,
 * and whether the business key is kept.
 */
export type RestartPlan = z.infer<typeof configurationSchema>;

/** The one mapping between an `instance-restart` batch's plan and its stored configuration, both ways. */
export const restartBatchConfiguration = {
  store(
    plan: Omit<RestartPlan, 'instructions'> & { readonly instructions: readonly InstantiationInstruction[] },
  ): RestartPlan {
    return {
      processDefinitionId: plan.processDefinitionId,
      instructions: plan.instructions.map(storedInstruction),
      initialVariables: plan.initialVariables,
      skipCustomListeners: plan.skipCustomListeners,
      skipIoMappings: plan.skipIoMappings,
      withoutBusinessKey: plan.withoutBusinessKey,
    };
  },

  /** @throws ZodError (or SyntaxError) for a configuration this mapping did not store. */
  read(configuration: string): RestartPlan {
    return configurationSchema.parse(JSON.parse(configuration));
  },
};

function storedInstruction(instruction: InstantiationInstruction): RestartPlan['instructions'][number] {
  return instruction.type === 'startTransition'
    ? { type: instruction.type, transitionId: instruction.transitionId }
    : { type: instruction.type, activityId: instruction.activityId };
}
