import {
  BadUserRequestException,
  modifyInstance,
  modifyInstanceOfDefinition,
  ProcessEngineException,
  type ModificationInstruction,
  type ModifyInstancesCommand,
} from '@libs/engine';
import type { ProcessDefinitionRecord, UserOperation } from '@libs/persistence';
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

/** Camunda's error for a process instance that cannot be modified because it is not running. */
export function instanceNotModifiable(id: string): ProcessEngineException {
  return new ProcessEngineException(
    `ENGINE-13036 Process instance '${id}' cannot be modified. The process instance does not exist`,
  );
}

/**
 * Process-instance modification (reference §4, §11): one instance with the full instruction set, or
 * many instances of one definition in one transaction (all or nothing); each logs its operation in
 * the transaction of the change.
 */
export class ModificationService {
  constructor(
    private readonly repository: RepositoryService,
    private readonly runtime: RuntimeService,
    private readonly operationLog: OperationLogService,
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
   * Modifies every instance in one transaction (`/modification/execute`), all or nothing.
   * @throws ProcessEngineException ENGINE-13036 / ENGINE-13037, and the engine's instruction errors
   * of the first failing instance.
   */
  async modifyMany(
    definition: ProcessDefinitionRecord,
    instanceIds: readonly string[],
    command: ModifyInstancesCommand,
    options: ModificationOptions,
  ): Promise<void> {
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
}

function skips(options: ModificationOptions) {
  return { skipCustomListeners: options.skipCustomListeners, skipIoMappings: options.skipIoMappings };
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
