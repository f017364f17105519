import { setVariables } from '@libs/engine';
import { setVariablesBatchConfiguration, type InstanceOperation } from '@libs/runtime';
import type { BatchTypeHandler } from './batch-types';

/**
 * `set-variables` (`POST /process-instance/variables-async`): sets the variables on each selected
 * instance's process scope; an instance that is no longer running fails its item. Setting the same
 * values again changes nothing.
 */
export const setVariablesHandler: BatchTypeHandler = {
  async prepare(configuration: string): Promise<InstanceOperation> {
    const { variables } = setVariablesBatchConfiguration.read(configuration);
    return (model, state, ctx) => setVariables(model, state, { variables }, ctx);
  },
};
