import { NotFoundException } from '@libs/engine';
import type { ProcessDefinitionRecord } from '@libs/persistence';
import {
  restartBatchConfiguration,
  restartInstances,
  type InstanceOutcome,
  type RuntimeService,
} from '@libs/runtime';
import type { BatchTypeHandler, ItemsOperation } from './batch-types';

/** Finds a process definition by id (the repository service's `getDefinition`). */
export type DefinitionLookup = (id: string) => Promise<ProcessDefinitionRecord | undefined>;

/**
 * `instance-restart` (`POST /process-definition/{id}/restart-async`): starts each selected ended
 * instance anew in the execution job's transaction; an instance that is unknown, still running or of
 * another definition fails its item, as does every item once the definition is gone. A re-run touches
 * only items not yet done, so no instance is restarted twice.
 */
export function restartHandler(runtime: RuntimeService, definitions: DefinitionLookup): BatchTypeHandler {
  return {
    subject: 'historic-process-instance',
    async prepare(configuration: string): Promise<ItemsOperation> {
      const plan = restartBatchConfiguration.read(configuration);
      const definition = await definitions(plan.processDefinitionId);
      return async (sql, ids) => {
        if (definition === undefined) {
          const error = new NotFoundException(
            `no deployed process definition found with id '${plan.processDefinitionId}': processDefinition is null`,
          );
          const outcomes = new Map<string, InstanceOutcome>(ids.map((id) => [id, { ok: false, error }]));
          return { outcomes, afterCommit: () => Promise.resolve() };
        }
        const { outcomes, effects } = await restartInstances(sql, runtime, definition, plan, ids);
        return { outcomes, afterCommit: () => runtime.afterCommit(effects) };
      };
    },
  };
}
