import { deleteHistoricInstances, historicDeletionBatchConfiguration } from '@libs/runtime';
import type { BatchTypeHandler } from './batch-types';

/**
 * `historic-process-instance-deletion` (`POST /history/process-instance/delete`): deletes the history
 * of each selected ended instance in the execution job's transaction; a running instance (and, with
 * `failIfNotExists`, an unknown id) fails its item only. Deleting again finds nothing and changes nothing.
 */
export const historicDeletionHandler: BatchTypeHandler = {
  subject: 'historic-process-instance',
  async prepare(configuration: string) {
    const { failIfNotExists } = historicDeletionBatchConfiguration.read(configuration);
    return async (sql, ids) => ({
      outcomes: await deleteHistoricInstances(sql, ids, failIfNotExists),
      afterCommit: () => Promise.resolve(),
    });
  },
};
