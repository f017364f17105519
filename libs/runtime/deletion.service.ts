import { cancelInstance, NotFoundException } from '@libs/engine';
import type { BatchRecord, HistoricProcessInstanceQuery, ProcessInstanceQuery } from '@libs/persistence';
import { withHistoricIds, type HistoricInstanceIds } from './instance-selection';
import type { BatchLauncher } from './batch-launcher';
import { deletionBatchConfiguration } from './deletion-batch-configuration';
import type { RuntimeService } from './runtime.service';

/** How one instance is deleted (`DELETE /process-instance/{id}`). */
export interface DeleteInstanceOptions {
  readonly deleteReason: string | null;
  /** Whether an instance that is not running is an error (Camunda's default) or nothing to do. */
  readonly failIfNotExists: boolean;
}

/** The instances a `POST /process-instance/delete` selects, and why they go. */
export interface DeleteInstancesCommand {
  readonly processInstanceIds: readonly string[];
  readonly processInstanceQuery: ProcessInstanceQuery | undefined;
  /** Instances found in history are added to the ids (Camunda's `historicProcessInstanceQuery`). */
  readonly historicProcessInstanceQuery?: HistoricProcessInstanceQuery;
  readonly deleteReason: string | null;
}

/**
 * Process-instance deletion: one instance now (`delete`), or the selected instances as an
 * `instance-deletion` batch (`deleteAsync`).
 */
export class DeletionService {
  constructor(
    private readonly runtime: RuntimeService,
    private readonly batches: BatchLauncher,
    private readonly history: HistoricInstanceIds,
  ) {}

  /**
   * Cancels a running instance, recording `deleteReason`.
   * @throws NotFoundException about the `processInstance` when it is not running (unless
   * `failIfNotExists` is false: then nothing happens); the engine's errors of `cancelInstance`.
   */
  async delete(instanceId: string, options: DeleteInstanceOptions): Promise<void> {
    const { deleteReason } = options;
    try {
      await this.runtime.update(instanceId, (model, state, ctx) =>
        cancelInstance(model, state, { deleteReason }, ctx),
      );
    } catch (error) {
      if (options.failIfNotExists || !isNotRunning(error, instanceId)) throw error;
    }
  }

  /**
   * Starts an `instance-deletion` batch over the selected instances (fixed now).
   * @throws BadUserRequestException "processInstanceIds is empty" when nothing is selected.
   */
  async deleteAsync(command: DeleteInstancesCommand, userId: string | null): Promise<BatchRecord> {
    const selection = await withHistoricIds(this.history, {
      ids: [...command.processInstanceIds],
      query: command.processInstanceQuery,
      historicQuery: command.historicProcessInstanceQuery,
    });
    return this.batches.create({
      type: 'instance-deletion',
      configuration: deletionBatchConfiguration.store({ deleteReason: command.deleteReason }),
      processInstanceIds: selection.ids,
      processInstanceQuery: selection.query,
      tenantId: null,
      userId,
      emptyMessage: 'processInstanceIds is empty',
    });
  }
}

/** The engine's error for `instanceId` that is not running (by its data, never its message). */
function isNotRunning(error: unknown, instanceId: string): boolean {
  return error instanceof NotFoundException && error.entity === 'processInstance' && error.id === instanceId;
}
