import { correlateMessage } from '@libs/engine';
import { correlateMessageBatchConfiguration, type InstanceOperation } from '@libs/runtime';
import type { BatchTypeHandler } from './batch-types';

/**
 * `correlate-message` (`POST /process-instance/message-async`): delivers the message to every waiting
 * subscription of that name in each selected instance, with the variables. An instance that has none
 * (or is suspended, or ended) fails its item with the correlation error, where Camunda's batch passes
 * over it silently.
 */
export const correlateMessageHandler: BatchTypeHandler = {
  async prepare(configuration: string): Promise<InstanceOperation> {
    const { messageName, variables } = correlateMessageBatchConfiguration.read(configuration);
    return (model, state, ctx) => correlateMessage(model, state, { messageName, all: true, variables }, ctx);
  },
};
