import type { DataSource } from 'typeorm';
import { BadUserRequestException } from '@libs/engine';
import {
  HistoricProcessInstanceRepository,
  transaction,
  type BatchRecord,
  type HistoricProcessInstanceQuery,
  type Sql,
} from '@libs/persistence';
import type { BatchLauncher } from './batch-launcher';
import { historicDeletionBatchConfiguration } from './historic-deletion-batch-configuration';
import { withHistoricIds, type HistoricInstanceIds } from './instance-selection';
import { change, OPERATION_TYPES, type OperationLogService } from './operation-log.service';
import type { InstanceOutcome } from './runtime.service';

/** What `POST /history/process-instance/delete` selects, and how. */
export interface DeleteHistoryCommand {
  readonly historicProcessInstanceIds: readonly string[];
  readonly historicProcessInstanceQuery: HistoricProcessInstanceQuery | undefined;
  readonly deleteReason: string | null;
  readonly failIfNotExists: boolean;
}

const repository = new HistoricProcessInstanceRepository();

/**
 * Deletes the history of ended instances `ids`, each with its own outcome: a running instance fails
 * (its history is still being written), an unknown id fails only with `failIfNotExists`. The history
 * of the others goes (activity instances, incidents, job log, the instance).
 */
export async function deleteHistoricInstances(
  sql: Sql,
  ids: readonly string[],
  failIfNotExists: boolean,
): Promise<Map<string, InstanceOutcome>> {
  const ended = await repository.endedOf(sql, ids);
  const outcomes = new Map<string, InstanceOutcome>();
  for (const id of ids) {
    const state = ended.get(id);
    if (state === false) {
      outcomes.set(id, {
        ok: false,
        error: new BadUserRequestException(
          `Process instance is still running, cannot delete historic process instance: ${id}`,
        ),
      });
    } else if (state === undefined && failIfNotExists) {
      outcomes.set(id, {
        ok: false,
        error: new BadUserRequestException(`No historic process instance found with id: ${id}`),
      });
    } else outcomes.set(id, { ok: true });
  }
  await repository.remove(
    sql,
    ids.filter((id) => ended.get(id) === true),
  );
  return outcomes;
}

/**
 * Deleting the history of ended process instances (Camunda's `HistoryService.deleteHistoricProcessInstance*`):
 * one now (`DELETE /history/process-instance/{id}`), or many as a `historic-process-instance-deletion`
 * batch (`POST /history/process-instance/delete`), each logged as a `DeleteHistory` operation.
 */
export class HistoricDeletionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly history: HistoricInstanceIds,
    private readonly operationLog: OperationLogService,
    private readonly batches: BatchLauncher,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * @throws NotFoundException when no instance has the id (unless `failIfNotExists` is false);
   * BadUserRequestException when the instance still runs.
   */
  async deleteOne(id: string, failIfNotExists: boolean, userId: string | null): Promise<void> {
    await transaction(this.dataSource, async (sql) => {
      const outcome = (await deleteHistoricInstances(sql, [id], failIfNotExists)).get(id);
      if (outcome?.ok === false) throw outcome.error;
      await this.operationLog.write(sql, [this.operation(1, false, userId, null)]);
    });
  }

  /**
   * Starts a `historic-process-instance-deletion` batch over the explicit ids and those of the
   * historic query (collected now, as Camunda does).
   * @throws BadUserRequestException `historicProcessInstanceIds is empty` when nothing is selected.
   */
  async deleteAsync(command: DeleteHistoryCommand, userId: string | null): Promise<BatchRecord> {
    const { ids } = await withHistoricIds(this.history, {
      ids: [...command.historicProcessInstanceIds],
      query: undefined,
      historicQuery: command.historicProcessInstanceQuery,
    });
    return this.batches.create({
      type: 'historic-process-instance-deletion',
      configuration: historicDeletionBatchConfiguration.store({
        deleteReason: command.deleteReason,
        failIfNotExists: command.failIfNotExists,
      }),
      processInstanceIds: ids,
      processInstanceQuery: undefined,
      tenantId: null,
      userId,
      emptyMessage: 'historicProcessInstanceIds is empty',
      alongside: (sql, created, items) =>
        this.operationLog.write(sql, [this.operation(items, true, userId, created.id)]),
    });
  }

  private operation(instances: number, async: boolean, userId: string | null, batchId: string | null) {
    return {
      operationType: OPERATION_TYPES.deleteHistory,
      entityType: 'ProcessInstance',
      category: 'Operator',
      userId,
      timestamp: this.clock(),
      batchId,
      changes: [change('nrOfInstances', instances), change('async', async)],
    };
  }
}
