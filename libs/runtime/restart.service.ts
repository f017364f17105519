import type { DataSource } from 'typeorm';
import {
  BadUserRequestException,
  NotFoundException,
  ProcessEngineException,
  type EngineEffect,
  type InstantiationInstruction,
} from '@libs/engine';
import {
  RestartSourceRepository,
  type BatchRecord,
  type HistoricProcessInstanceQuery,
  type ProcessDefinitionRecord,
  type RestartSource,
  type Sql,
  type UserOperation,
} from '@libs/persistence';
import type { BatchLauncher } from './batch-launcher';
import { withHistoricIds, type HistoricInstanceIds } from './instance-selection';
import { change, OPERATION_TYPES, type OperationLogService } from './operation-log.service';
import type { RepositoryService } from './repository.service';
import { restartBatchConfiguration, type RestartPlan } from './restart-batch-configuration';
import { retriedTransaction } from './retry';
import type { InstanceOutcome, RuntimeService, StartCommand } from './runtime.service';

/** What `POST /process-definition/{id}/restart` (and `/restart-async`) asks for. */
export interface RestartCommand {
  readonly processDefinitionId: string;
  readonly processInstanceIds: ReadonlyArray<string | null>;
  readonly historicQuery: HistoricProcessInstanceQuery | undefined;
  readonly instructions: readonly InstantiationInstruction[];
  readonly initialVariables: boolean;
  readonly skipCustomListeners: boolean;
  readonly skipIoMappings: boolean;
  readonly withoutBusinessKey: boolean;
}

const sources = new RestartSourceRepository();

/**
 * Restarts ended instances `ids` inside the caller's transaction, each with its own outcome (Camunda's
 * `RestartProcessInstancesCmd` per instance): an unknown, still running or foreign instance fails, the
 * others start anew on `definition` at the plan's instructions, with their last process variables (or
 * the initial ones), business key (unless `withoutBusinessKey`) and tenant, their history naming the
 * instance they restart. Returns the effects to act on once the transaction has committed.
 */
export async function restartInstances(
  sql: Sql,
  runtime: RuntimeService,
  definition: ProcessDefinitionRecord,
  plan: RestartPlan,
  ids: readonly string[],
): Promise<{ outcomes: Map<string, InstanceOutcome>; effects: EngineEffect[] }> {
  const found = await sources.sources(sql, ids);
  const outcomes = new Map<string, InstanceOutcome>();
  const restartable: RestartSource[] = [];
  for (const id of ids) {
    const error = refusal(found.get(id), id, definition.id);
    if (error) outcomes.set(id, { ok: false, error });
    else restartable.push(found.get(id)!);
  }
  const restartableIds = restartable.map((source) => source.id);
  const variables = plan.initialVariables
    ? await sources.initialVariables(sql, restartableIds)
    : await sources.lastVariables(sql, restartableIds);
  const commands = restartable.map((source): StartCommand => ({
    businessKey: plan.withoutBusinessKey ? null : source.businessKey,
    variables: variables.get(source.id) ?? {},
    startInstructions: plan.instructions,
    skipCustomListeners: plan.skipCustomListeners,
    skipIoMappings: plan.skipIoMappings,
    ...(definition.tenantId === null ? { tenantId: source.tenantId } : {}),
  }));
  let started;
  try {
    started = await runtime.startEach(sql, definition, commands);
  } catch (error) {
    // The definition refuses every start (it is suspended): each instance fails with that reason.
    if (!(error instanceof ProcessEngineException)) throw error;
    for (const id of restartableIds) outcomes.set(id, { ok: false, error });
    return { outcomes, effects: [] };
  }
  const links: Array<{ instanceId: string; restartedId: string }> = [];
  started.outcomes.forEach((outcome, index) => {
    const restartedId = restartableIds[index]!;
    if (outcome.ok) {
      links.push({ instanceId: outcome.state.id, restartedId });
      outcomes.set(restartedId, { ok: true });
    } else outcomes.set(restartedId, { ok: false, error: outcome.error });
  });
  await sources.markRestarted(sql, links);
  return { outcomes, effects: started.effects };
}

/** Why an instance cannot be restarted on `definitionId`, in Camunda's order of checks; none if it can. */
function refusal(
  source: RestartSource | undefined,
  id: string,
  definitionId: string,
): ProcessEngineException | undefined {
  if (source === undefined) {
    return new BadUserRequestException(
      'Historic process instance cannot be found: historicProcessInstanceId is null',
    );
  }
  if (!source.ended) {
    return new ProcessEngineException(
      `ENGINE-13040 Historic process instance '${id}' cannot be restarted. It is not completed or terminated.`,
    );
  }
  if (source.definitionId !== definitionId) {
    return new ProcessEngineException(
      `ENGINE-13039 Historic process instance '${id}' cannot be restarted. Its process definition '${source.definitionId}' does not match given process definition '${definitionId}'`,
    );
  }
  return undefined;
}

/**
 * Restarting ended process instances (Camunda's `RuntimeService.restartProcessInstances`): at once, all
 * or nothing (`restart`), or as an `instance-restart` batch (`restartAsync`), each logged as a
 * `RestartProcessInstance` operation.
 */
export class RestartService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: RepositoryService,
    private readonly runtime: RuntimeService,
    private readonly history: HistoricInstanceIds,
    private readonly operationLog: OperationLogService,
    private readonly batches: BatchLauncher,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Restarts every selected instance in one transaction: the first instance that cannot be restarted
   * fails the request and nothing starts.
   * @throws BadUserRequestException for an empty instruction list or selection, a `null` id, an unknown
   * definition or instance; ProcessEngineException ENGINE-13039 / ENGINE-13040 and the engine's
   * instruction errors.
   */
  async restart(command: RestartCommand, userId: string | null): Promise<void> {
    if (command.instructions.length === 0) {
      throw new BadUserRequestException('Restart instructions cannot be empty: instructions is empty');
    }
    const ids = await this.collect(command);
    if (ids.includes(null)) {
      throw new BadUserRequestException(
        'Process instance ids cannot be null: Process instance ids contains null value',
      );
    }
    const definition = await this.definition(command.processDefinitionId);
    const plan = planOf(command);
    const effects = await retriedTransaction(this.dataSource, async (sql) => {
      const instanceIds = ids as string[];
      const restarted = await restartInstances(sql, this.runtime, definition, plan, instanceIds);
      for (const id of instanceIds) {
        const outcome = restarted.outcomes.get(id);
        if (outcome?.ok === false) throw outcome.error;
      }
      await this.operationLog.write(sql, [
        this.operation(definition, instanceIds.length, false, userId, null),
      ]);
      return restarted.effects;
    });
    await this.runtime.afterCommit(effects);
  }

  /**
   * Starts an `instance-restart` batch over the explicit ids and those of the historic query (collected
   * now, as Camunda does); each instance that cannot be restarted fails its item.
   * @throws BadUserRequestException as {@link restart} for the request itself.
   */
  async restartAsync(command: RestartCommand, userId: string | null): Promise<BatchRecord> {
    const ids = await this.collect(command);
    if (command.instructions.length === 0) {
      throw new BadUserRequestException('Restart instructions cannot be empty: instructions is empty');
    }
    if (ids.includes(null)) {
      throw new BadUserRequestException(
        'Process instance ids cannot be null: processInstanceIds contains null value',
      );
    }
    const definition = await this.definition(command.processDefinitionId);
    return this.batches.create({
      type: 'instance-restart',
      configuration: restartBatchConfiguration.store(planOf(command)),
      processInstanceIds: ids as string[],
      tenantId: definition.tenantId,
      userId,
      emptyMessage: 'processInstanceIds is empty',
      alongside: (sql, created, items) =>
        this.operationLog.write(sql, [this.operation(definition, items, true, userId, created.id)]),
    });
  }

  /** The explicit ids (a `null` kept, for its own message) and the historic query's, de-duplicated. */
  private async collect(command: RestartCommand): Promise<Array<string | null>> {
    const explicit = [...new Set(command.processInstanceIds)];
    const { ids } = await withHistoricIds(this.history, {
      ids: explicit.filter((id): id is string => id !== null),
      query: undefined,
      historicQuery: command.historicQuery,
    });
    const collected = [...ids, ...(explicit.includes(null) ? [null] : [])];
    if (collected.length === 0) throw new BadUserRequestException('processInstanceIds is empty');
    return collected;
  }

  private async definition(id: string): Promise<ProcessDefinitionRecord> {
    const definition = await this.repository.getDefinition(id);
    if (!definition) {
      throw new NotFoundException(
        `no deployed process definition found with id '${id}': processDefinition is null`,
      );
    }
    return definition;
  }

  private operation(
    definition: ProcessDefinitionRecord,
    instances: number,
    async: boolean,
    userId: string | null,
    batchId: string | null,
  ): UserOperation {
    return {
      operationType: OPERATION_TYPES.restart,
      entityType: 'ProcessInstance',
      category: 'Operator',
      userId,
      timestamp: this.clock(),
      processDefinitionId: definition.id,
      processDefinitionKey: definition.key,
      tenantId: definition.tenantId,
      batchId,
      changes: [change('nrOfInstances', instances), change('async', async)],
    };
  }
}

function planOf(command: RestartCommand): RestartPlan {
  return restartBatchConfiguration.store({
    processDefinitionId: command.processDefinitionId,
    instructions: command.instructions,
    initialVariables: command.initialVariables,
    skipCustomListeners: command.skipCustomListeners,
    skipIoMappings: command.skipIoMappings,
    withoutBusinessKey: command.withoutBusinessKey,
  });
}
