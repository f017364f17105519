import { BadUserRequestException, type VariableMap } from '@libs/engine';
import type { BatchRecord } from '@libs/persistence';
import type { BatchLauncher } from './batch-launcher';
import { withHistoricIds, type HistoricInstanceIds, type InstanceSelection } from './instance-selection';
import { change, OPERATION_TYPES, type OperationLogService } from './operation-log.service';
import { setVariablesBatchConfiguration } from './set-variables-batch-configuration';

/** What `POST /process-instance/variables-async` sets, on which instances. */
export interface SetVariablesAsyncCommand {
  readonly variables: VariableMap;
  readonly selection: InstanceSelection;
}

/**
 * Setting variables on many process instances as a `set-variables` batch (Camunda's
 * `RuntimeService.setVariablesAsync`): each instance gets the variables on its process scope.
 */
export class VariableBatchService {
  constructor(
    private readonly history: HistoricInstanceIds,
    private readonly operationLog: OperationLogService,
    private readonly batches: BatchLauncher,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Instances of the historic query count only while they run (Camunda adds `unfinished` to it).
   * @throws BadUserRequestException `variables is empty`, `processInstanceIds is empty` when nothing
   * is selected.
   */
  async setVariablesAsync(command: SetVariablesAsyncCommand, userId: string | null): Promise<BatchRecord> {
    const count = Object.keys(command.variables).length;
    if (count === 0) throw new BadUserRequestException('variables is empty');
    const { historicQuery } = command.selection;
    const selection = await withHistoricIds(this.history, {
      ...command.selection,
      ...(historicQuery === undefined ? {} : { historicQuery: { ...historicQuery, unfinished: true } }),
    });
    return this.batches.create({
      type: 'set-variables',
      configuration: setVariablesBatchConfiguration.store({ variables: command.variables }),
      processInstanceIds: selection.ids,
      processInstanceQuery: selection.query,
      tenantId: null,
      userId,
      emptyMessage: 'processInstanceIds is empty',
      alongside: (sql, created, items) =>
        this.operationLog.write(sql, [
          {
            operationType: OPERATION_TYPES.setVariables,
            entityType: 'ProcessInstance',
            category: 'Operator',
            userId,
            timestamp: this.clock(),
            batchId: created.id,
            changes: [change('nrOfInstances', items), change('nrOfVariables', count), change('async', true)],
          },
        ]),
    });
  }
}
