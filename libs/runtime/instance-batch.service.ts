import { BadUserRequestException, type VariableMap } from '@libs/engine';
import type { BatchRecord, PropertyChange, UserOperation } from '@libs/persistence';
import type { BatchLauncher } from './batch-launcher';
import { withHistoricIds, type HistoricInstanceIds, type InstanceSelection } from './instance-selection';
import { change, OPERATION_TYPES, type OperationLogService } from './operation-log.service';
import { correlateMessageBatchConfiguration } from './correlate-message-batch-configuration';
import { setVariablesBatchConfiguration } from './set-variables-batch-configuration';

/** What `POST /process-instance/variables-async` sets, on which instances. */
export interface SetVariablesAsyncCommand {
  readonly variables: VariableMap;
  readonly selection: InstanceSelection;
}

/** What `POST /process-instance/message-async` delivers, on which instances. */
export interface CorrelateMessageAsyncCommand {
  readonly messageName: string;
  readonly variables: VariableMap;
  readonly selection: InstanceSelection;
}

/**
 * Batches that act on many process instances' variables and waiting events: `set-variables`
 * (Camunda's `RuntimeService.setVariablesAsync`: the variables on each instance's process scope) and
 * `correlate-message` (`createMessageCorrelationAsync`: the message to each instance's subscriptions).
 */
export class InstanceBatchService {
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
          this.operation(OPERATION_TYPES.setVariables, userId, created.id, [
            change('nrOfInstances', items),
            change('nrOfVariables', count),
            change('async', true),
          ]),
        ]),
    });
  }

  /**
   * @throws BadUserRequestException `Process instance ids cannot be empty` when nothing is selected.
   */
  async correlateMessageAsync(
    command: CorrelateMessageAsyncCommand,
    userId: string | null,
  ): Promise<BatchRecord> {
    const selection = await withHistoricIds(this.history, command.selection);
    const { messageName, variables } = command;
    return this.batches.create({
      type: 'correlate-message',
      configuration: correlateMessageBatchConfiguration.store({ messageName, variables }),
      processInstanceIds: selection.ids,
      processInstanceQuery: selection.query,
      tenantId: null,
      userId,
      emptyMessage: 'Process instance ids cannot be empty: process instance ids is empty',
      alongside: (sql, created, items) =>
        this.operationLog.write(sql, [
          this.operation(OPERATION_TYPES.correlateMessage, userId, created.id, [
            change('messageName', messageName),
            change('nrOfInstances', items),
            change('nrOfVariables', Object.keys(variables).length),
            change('async', true),
          ]),
        ]),
    });
  }

  private operation(
    operationType: string,
    userId: string | null,
    batchId: string,
    changes: PropertyChange[],
  ): UserOperation {
    return {
      operationType,
      entityType: 'ProcessInstance',
      category: 'Operator',
      userId,
      timestamp: this.clock(),
      batchId,
      changes,
    };
  }
}
