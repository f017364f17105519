import {
  modifyInstance,
  modifyInstanceOfDefinition,
  ProcessEngineException,
  type BatchModificationInstruction,
} from '@libs/engine';
import { modificationBatchConfiguration, type InstanceOperation } from '@libs/runtime';
import type { BatchTypeHandler } from './batch-types';

/**
 * `instance-modification`: runs the stored instructions on each instance as `/modification/execute`
 * does (the instance must run on the batch's definition, ENGINE-13037 otherwise); an instance the
 * instructions fail on fails its item only.
 */
export const modificationHandler: BatchTypeHandler = {
  async prepare(configuration: string): Promise<InstanceOperation> {
    const plan = modificationBatchConfiguration.read(configuration);
    const options = { skipCustomListeners: plan.skipCustomListeners, skipIoMappings: plan.skipIoMappings };
    if (!plan.singleInstance) {
      const command = {
        processDefinitionId: plan.processDefinitionId,
        // A multi-instance batch stores only the instruction kinds of `/modification/executeAsync`.
        instructions: plan.instructions as readonly BatchModificationInstruction[],
        ...options,
      };
      return (model, state, ctx) => modifyInstanceOfDefinition(model, state, command, ctx);
    }
    const command = { instructions: plan.instructions, ...options };
    return (model, state, ctx) => {
      if (state.state === 'ACTIVE' && state.definitionId !== plan.processDefinitionId) {
        throw new ProcessEngineException(
          `ENGINE-13037 Process instance '${state.id}' cannot be modified. Its process definition '${state.definitionId}' does not match given process definition '${plan.processDefinitionId}'`,
        );
      }
      return modifyInstance(model, state, command, ctx);
    };
  },
};
