import { z } from 'zod';
import type { ModificationInstruction } from '@libs/engine';

const ancestor = { ancestorActivityInstanceId: z.string().nullish() };

const instructionSchema = z.union([
  z.object({ type: z.literal('startBeforeActivity'), activityId: z.string(), ...ancestor }),
  z.object({ type: z.literal('startAfterActivity'), activityId: z.string(), ...ancestor }),
  z.object({ type: z.literal('startTransition'), transitionId: z.string(), ...ancestor }),
  z.object({
    type: z.literal('cancel'),
    activityId: z.string(),
    cancelCurrentActiveActivityInstances: z.boolean().nullish(),
  }),
  z.object({ type: z.literal('cancel'), activityInstanceId: z.string() }),
  z.object({ type: z.literal('cancel'), transitionInstanceId: z.string() }),
]);

const configurationSchema = z.object({
  processDefinitionId: z.string(),
  instructions: z.array(instructionSchema),
  /** Single-instance modification: every instruction kind, ancestors included. */
  singleInstance: z.boolean(),
  skipListeners: z.boolean(),
  skipIoMappings: z.boolean(),
});

/**
 * The stored configuration of an `instance-modification` batch (reference §9.13, without instance
 * ids and without instruction variables, which Camunda drops for async modification too).
 */
export type ModificationBatchConfiguration = z.infer<typeof configurationSchema>;

/** What a modification batch runs on each instance of one definition. */
export interface ModificationBatchPlan {
  readonly processDefinitionId: string;
  /** Instruction variables are not kept (as in Camunda). */
  readonly instructions: readonly ModificationInstruction[];
  /** Single-instance modification (`…/modification-async`): every instruction kind, ancestors included. */
  readonly singleInstance: boolean;
  readonly skipCustomListeners: boolean;
  readonly skipIoMappings: boolean;
}

/**
 * The one mapping between a modification batch's plan and its stored configuration, both ways:
 * `store` when the batch is created, `read` when a worker prepares it. `read(JSON.stringify(store(p)))`
 * gives `p` back without instruction variables.
 */
export const modificationBatchConfiguration = {
  store(plan: ModificationBatchPlan): ModificationBatchConfiguration {
    return {
      processDefinitionId: plan.processDefinitionId,
      instructions: plan.instructions.map(withoutVariables),
      singleInstance: plan.singleInstance,
      skipListeners: plan.skipCustomListeners,
      skipIoMappings: plan.skipIoMappings,
    };
  },

  /** @throws ZodError (or SyntaxError) for a configuration this mapping did not store. */
  read(configuration: string): ModificationBatchPlan {
    const stored = configurationSchema.parse(JSON.parse(configuration));
    return {
      processDefinitionId: stored.processDefinitionId,
      // The schema admits exactly the instruction shapes without variables.
      instructions: stored.instructions as ModificationInstruction[],
      singleInstance: stored.singleInstance,
      skipCustomListeners: stored.skipListeners,
      skipIoMappings: stored.skipIoMappings,
    };
  },
};

function withoutVariables(
  instruction: ModificationInstruction,
): ModificationBatchConfiguration['instructions'][number] {
  if (instruction.type === 'cancel') return instruction;
  const { variables: _dropped, ...rest } = instruction;
  return rest;
}
