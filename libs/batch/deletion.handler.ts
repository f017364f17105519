import { cancelInstance } from '@libs/engine';
import { deletionBatchConfiguration, type InstanceOperation } from '@libs/runtime';
import type { BatchTypeHandler } from './batch-types';

/** `instance-deletion`: deletes each selected instance (`POST /process-instance/delete`). */
export const deletionHandler: BatchTypeHandler = {
  async prepare(configuration: string): Promise<InstanceOperation> {
    const { deleteReason } = deletionBatchConfiguration.read(configuration);
    return (model, state, ctx) => cancelInstance(model, state, { deleteReason }, ctx);
  },
};
