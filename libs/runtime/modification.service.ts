import {
  BadUserRequestException,
  modifyInstance,
  modifyInstanceOfDefinition,
  ProcessEngineException,
  type BatchModificationInstruction,
  type ModificationInstruction,
} from '@libs/engine';
import type { BatchRecord, ProcessDefinitionRecord, UserOperation } from '@libs/persistence';
import type { BatchLauncher } from './batch-launcher';
import {
  readSelection,
  resolveSelection,
  withHistoricIds,
  type HistoricInstanceIds,
  type SelectionMessages,
  type SelectionRequest,
} from './instance-selection';
import { modificationBatchConfiguration } from './modification-batch-configuration';
import { change, NO_CHANGE, OPERATION_TYPES, type OperationLogService } from './operation-log.service';
import type { RepositoryService } from './repository.service';
import type { RuntimeService } from './runtime.service';

/** Options of a modification request besides its instructions. */
export interface ModificationOptions {
  readonly skipCustomListeners?: boolean;
  readonly skipIoMappings?: boolean;
  readonly annotation?: string | null;
  readonly userId: string | null;
}

/** Instructions for the instances of one definition that a request selects (`/modification/execute…`). */
export interface ModificationExecution {
  readonly processDefinitionId: string;
  readonly instructions: readonly BatchModificationInstruction[];
  readonly selection: SelectionRequest;
}

/** Camunda's messages for the selection of a multi-instance modification. */
const SELECTION: SelectionMessages = {
  empty: 'Process instance ids cannot be empty: Process instance ids is empty',
  containsNull: 'Process instance ids cannot be null: Process instance ids contains null value',
};

/** Camunda's error for a process instance that cannot be modified because it is not running. */
export function instanceNotModifiable(id: string): ProcessEngineException {
  return new ProcessEngineException(
    `ENGINE-13036 Process instance '${id}' cannot be modified. The process instance does not exist`,
  );
}

/**
 * Process-instance modification (reference §4, §11): one instance with the full instruction set, or
 * many instances of one definition in one transaction (all or nothing), each also as a batch; each
 * logs its operation in the transaction of the change (of the batch's creation, for a batch).
 */
export class ModificationService {
  constructor(
    private readonly repository: RepositoryService,
    private readonly runtime: RuntimeService,
    private readonly operationLog: OperationLogService,
    private readonly batches: BatchLauncher,
    private readonly history: HistoricInstanceIds,
  ) {}

  /**
   * Modifies one running instance; no instructions is a no-op (nothing logged).
   * @throws ProcessEngineException ENGINE-13036 for an instance that is not running, and every error
   * of the engine's `modifyInstance`.
   */
  async modifyOne(
    instanceId: string,
    instructions: readonly ModificationInstruction[],
    options: ModificationOptions,
  ): Promise<void> {
    if (instructions.length === 0) return;
    const command = { instructions, ...skips(options) };
    let definition: { id: string; key: string } | null = null;
    await this.runtime.updateMany(
      [instanceId],
      (model, state, ctx) => {
        definition = { id: state.definitionId, key: state.definitionKey };
        return modifyInstance(model, state, command, ctx);
      },
      {
        requireAll: true,
        notFound: instanceNotModifiable,
        alongside: (sql) =>
          this.operationLog.write(sql, [singleModificationOperation(instanceId, definition, options, false)]),
      },
    );
  }

  /**
   * Starts a one-instance `instance-modification` batch (`…/modification-async`); instruction
   * variables are dropped, as in Camunda.
   * @throws ProcessEngineException ENGINE-13036 for an instance that is not running.
   */
  async modifyOneAsync(
    instanceId: string,
    instructions: readonly ModificationInstruction[],
    options: ModificationOptions,
  ): Promise<BatchRecord> {
    const state = await this.runtime.load(instanceId);
    if (!state) throw instanceNotModifiable(instanceId);
    const definition = { id: state.definitionId, key: state.definitionKey };
    return this.batches.create({
      type: 'instance-modification',
      configuration: modificationBatchConfiguration.store({
        processDefinitionId: state.definitionId,
        instructions,
        singleInstance: true,
        ...skips(options),
      }),
      processInstanceIds: [state.id],
      tenantId: state.tenantId,
      userId: options.userId,
      emptyMessage: 'The provided instuctions are invalid.',
      totalJobs: 1,
      alongside: (sql, created) =>
        this.operationLog.write(sql, [
          singleModificationOperation(state.id, definition, options, true, created.id),
        ]),
    });
  }

  /**
   * The definition of a multi-instance modification.
   * @throws BadUserRequestException "no deployed process definition found with id '<id>': …".
   */
  async definition(id: string): Promise<ProcessDefinitionRecord> {
    const record = await this.repository.getDefinition(id);
    if (!record) {
      throw new BadUserRequestException(
        `no deployed process definition found with id '${id}': processDefinition is null`,
      );
    }
    return record;
  }

  /**
   * Modifies the selected instances in one transaction (`/modification/execute`), all or nothing.
   * @throws BadUserRequestException for a `null` id, an empty selection and an unknown definition (in
   * that order); ProcessEngineException ENGINE-13036 / ENGINE-13037, and the engine's instruction
   * errors of the first failing instance.
   */
  async execute(execution: ModificationExecution, options: ModificationOptions): Promise<void> {
    const selection = readSelection(execution.selection, SELECTION);
    const instanceIds = await resolveSelection(this.runtime, selection, SELECTION, this.history);
    const definition = await this.definition(execution.processDefinitionId);
    const command = {
      processDefinitionId: execution.processDefinitionId,
      instructions: execution.instructions,
      ...skips(options),
    };
    const entry = multiModificationOperation(definition, instanceIds.length, false, options);
    await this.runtime.updateMany(
      instanceIds,
      (model, state, ctx) => modifyInstanceOfDefinition(model, state, command, ctx),
      {
        requireAll: true,
        notFound: instanceNotModifiable,
        alongside: (sql) => this.operationLog.write(sql, [entry]),
      },
    );
  }

  /**
   * Starts an `instance-modification` batch over the selected instances (fixed now)
   * (`/modification/executeAsync`), logging the operation in the batch's creation transaction.
   * @throws BadUserRequestException for a `null` id, an unknown definition and an empty selection (in
   * that order).
   */
  async executeAsync(execution: ModificationExecution, options: ModificationOptions): Promise<BatchRecord> {
    const selection = await withHistoricIds(this.history, readSelection(execution.selection, SELECTION));
    const definition = await this.definition(execution.processDefinitionId);
    return this.batches.create({
      type: 'instance-modification',
      configuration: modificationBatchConfiguration.store({
        processDefinitionId: execution.processDefinitionId,
        instructions: execution.instructions,
        singleInstance: false,
        ...skips(options),
      }),
      processInstanceIds: selection.ids,
      processInstanceQuery: selection.query,
      tenantId: definition.tenantId,
      userId: options.userId,
      emptyMessage: SELECTION.empty,
      alongside: (sql, created, items) =>
        this.operationLog.write(sql, [
          multiModificationOperation(definition, items, true, options, created.id),
        ]),
    });
  }
}

function skips(options: ModificationOptions) {
  return {
    skipCustomListeners: options.skipCustomListeners ?? false,
    skipIoMappings: options.skipIoMappings ?? false,
  };
}

/** `ModifyProcessInstance` of one instance (reference §11.6); async adds `nrOfInstances` and `async`. */
export function singleModificationOperation(
  instanceId: string,
  definition: { readonly id: string; readonly key: string } | null,
  options: ModificationOptions,
  async: boolean,
  batchId: string | null = null,
): UserOperation {
  return {
    operationType: OPERATION_TYPES.modify,
    entityType: 'ProcessInstance',
    category: 'Operator',
    userId: options.userId,
    timestamp: new Date(),
    processInstanceId: instanceId,
    processDefinitionId: definition?.id ?? null,
    processDefinitionKey: definition?.key ?? null,
    annotation: options.annotation ?? null,
    batchId,
    changes: async ? [change('nrOfInstances', 1), change('async', true)] : [NO_CHANGE],
  };
}

/** `ModifyProcessInstance` of many instances of one definition, with `nrOfInstances` and `async`. */
export function multiModificationOperation(
  definition: ProcessDefinitionRecord,
  instances: number,
  async: boolean,
  options: ModificationOptions,
  batchId: string | null = null,
): UserOperation {
  return {
    operationType: OPERATION_TYPES.modify,
    entityType: 'ProcessInstance',
    category: 'Operator',
    userId: options.userId,
    timestamp: new Date(),
    processDefinitionId: definition.id,
    processDefinitionKey: definition.key,
    deploymentId: definition.deploymentId,
    tenantId: definition.tenantId,
    annotation: options.annotation ?? null,
    batchId,
    changes: [change('nrOfInstances', instances), change('async', async)],
  };
}
