import { z } from 'zod';
import {
  modifyInstance,
  modifyInstanceOfDefinition,
  ProcessEngineException,
  type ModificationInstruction,
} from '@libs/engine';
import type { InstanceOperation } from '@libs/runtime';
import type { BatchTypeHandler } from './batch-types';

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

/** The configuration of a modification batch; instruction variables are dropped (as in Camunda). */
export function modificationBatchConfiguration(
  processDefinitionId: string,
  instructions: readonly ModificationInstruction[],
  options: { singleInstance: boolean; skipCustomListeners?: boolean; skipIoMappings?: boolean },
): ModificationBatchConfiguration {
  return {
    processDefinitionId,
    instructions: instructions.map(withoutVariables),
    singleInstance: options.singleInstance,
    skipListeners: options.skipCustomListeners ?? false,
    skipIoMappings: options.skipIoMappings ?? false,
  };
}

function withoutVariables(
  instruction: ModificationInstruction,
): ModificationBatchConfiguration['instructions'][number] {
  if (instruction.type === 'cancel') return instruction;
  const { variables: _dropped, ...rest } = instruction;
  return rest;
}

/**
 * `instance-modification`: runs the stored instructions on each instance as `/modification/execute`
 * does (the instance must run on the batch's definition, ENGINE-13037 otherwise); an instance the
 * instructions fail on fails its item only.
 */
export const modificationHandler: BatchTypeHandler = {
  async prepare(configuration: string): Promise<InstanceOperation> {
    const config = configurationSchema.parse(JSON.parse(configuration));
    const options = { skipCustomListeners: config.skipListeners, skipIoMappings: config.skipIoMappings };
    if (!config.singleInstance) {
      const command = {
        processDefinitionId: config.processDefinitionId,
        instructions: config.instructions,
        ...options,
      };
      return (model, state, ctx) =>
        modifyInstanceOfDefinition(
          model,
          state,
          command as Parameters<typeof modifyInstanceOfDefinition>[2],
          ctx,
        );
    }
    const command = { instructions: config.instructions as ModificationInstruction[], ...options };
    return (model, state, ctx) => {
      if (state.state === 'ACTIVE' && state.definitionId !== config.processDefinitionId) {
        throw new ProcessEngineException(
          `ENGINE-13037 Process instance '${state.id}' cannot be modified. Its process definition '${state.definitionId}' does not match given process definition '${config.processDefinitionId}'`,
        );
      }
      return modifyInstance(model, state, command, ctx);
    };
  },
};
