import { externalTaskRetriesBatchConfiguration, setRetriesOf, type RuntimeService } from '@libs/runtime';
import type { BatchTypeHandler, ItemsOperation } from './batch-types';

/**
 * `set-external-task-retries` (`POST /external-task/retries-async`): sets the retries of each selected
 * external task in the execution job's transaction (its instance locked; retries 0 raise its incident,
 * retries above 0 resolve it). A task that is gone fails its item. Setting the same retries again changes
 * nothing.
 */
export function externalTaskRetriesHandler(
  runtime: RuntimeService,
  clock: () => Date = () => new Date(),
): BatchTypeHandler {
  return {
    subject: 'external-task',
    async prepare(configuration: string): Promise<ItemsOperation> {
      const { retries } = externalTaskRetriesBatchConfiguration.read(configuration);
      return async (sql, ids) => {
        const { outcomes, effects } = await setRetriesOf(sql, runtime, ids, retries, clock());
        return { outcomes, afterCommit: () => runtime.afterCommit(effects) };
      };
    },
  };
}
