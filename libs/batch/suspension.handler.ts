import { setSuspension } from '@libs/engine';
import { suspensionBatchConfiguration, type InstanceOperation } from '@libs/runtime';
import type { BatchTypeHandler } from './batch-types';

/**
 * `instance-update-suspension-state`: suspends or activates each selected instance
 * (`POST /process-instance/suspended-async`); an activated instance's jobs are dispatched again.
 */
export const suspensionHandler: BatchTypeHandler = {
  async prepare(configuration: string): Promise<InstanceOperation> {
    const { suspended } = suspensionBatchConfiguration.read(configuration);
    return (model, state, ctx) => setSuspension(model, state, { suspended }, ctx);
  },
};
