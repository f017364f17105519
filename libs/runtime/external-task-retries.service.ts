import type { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  BadUserRequestException,
  NotFoundException,
  setExternalTaskRetries,
  type EngineEffect,
} from '@libs/engine';
import {
  ExternalTaskRepository,
  selectInChunks,
  sqlOf,
  type BatchRecord,
  type ExternalTaskListing,
  type ExternalTaskQuery,
  type PropertyChange,
  type Sql,
  type UserOperation,
} from '@libs/persistence';
import type { BatchLauncher } from './batch-launcher';
import { selectedIds, type HistoricInstanceIds, type InstanceSelection } from './instance-selection';
import { change, OPERATION_TYPES, type OperationLogService } from './operation-log.service';
import { retriedTransaction } from './retry';
import type { InstanceOutcome, RuntimeService } from './runtime.service';

/** Which external tasks `PUT /external-task/retries` (and `/retries-async`) selects. */
export interface ExternalTaskRetriesSelection {
  readonly externalTaskIds: ReadonlyArray<string | null>;
  readonly externalTaskQuery: ExternalTaskQuery | undefined;
  /** The tasks of these process instances (ids, running-instance query, historic query). */
  readonly instances: InstanceSelection;
}

const configurationSchema = z.object({ retries: z.number().int().min(0) });

/** The stored configuration of a `set-external-task-retries` batch: the retries to set. */
export const externalTaskRetriesBatchConfiguration = {
  store(plan: { retries: number }): z.infer<typeof configurationSchema> {
    return { retries: plan.retries };
  },
  /** @throws ZodError (or SyntaxError) for a configuration this mapping did not store. */
  read(configuration: string): { retries: number } {
    return configurationSchema.parse(JSON.parse(configuration));
  },
};

const externalTasks = new ExternalTaskRepository();

/**
 * Sets the retries of external tasks `ids` inside the caller's transaction, each with its own outcome:
 * an unknown task fails (Camunda's `Cannot find external task with id …`). Their instances are locked
 * and changed through the engine, so incidents follow (raised at 0, resolved above). Returns the tasks
 * as they were found (their old retries) and the effects to act on once the transaction has committed.
 */
export async function setRetriesOf(
  sql: Sql,
  runtime: RuntimeService,
  ids: readonly string[],
  retries: number,
  now: Date,
): Promise<{
  outcomes: Map<string, InstanceOutcome>;
  found: ExternalTaskListing[];
  effects: EngineEffect[];
}> {
  const found = await selectInChunks(ids, (chunk) =>
    externalTasks.query(sql, { externalTaskIdIn: chunk }, now),
  );
  const byInstance = new Map<string, string[]>();
  for (const task of found) {
    byInstance.set(task.processInstanceId, [...(byInstance.get(task.processInstanceId) ?? []), task.id]);
  }
  const applied = await runtime.applyEach(sql, [...byInstance.keys()], (model, state, ctx) =>
    setExternalTaskRetries(model, state, { externalTaskIds: byInstance.get(state.id) ?? [], retries }, ctx),
  );
  const ownerOf = new Map(found.map((task) => [task.id, task.processInstanceId]));
  const outcomes = new Map<string, InstanceOutcome>();
  for (const id of ids) {
    const owner = ownerOf.get(id);
    const outcome = owner === undefined ? undefined : applied.outcomes.get(owner);
    outcomes.set(
      id,
      outcome ?? {
        ok: false,
        error: new NotFoundException(`Cannot find external task with id ${id}: externalTask is null`, {
          entity: 'externalTask',
          id,
        }),
      },
    );
  }
  return { outcomes, found, effects: applied.effects };
}

/**
 * Setting the retries of external tasks (Camunda's `ExternalTaskService.setRetries` and
 * `updateRetries()`): one task, many at once (all or nothing), or many as a `set-external-task-retries`
 * batch, each logged as a `SetExternalTaskRetries` operation. Retries 0 raise the task's
 * `failedExternalTask` incident, retries above 0 resolve it.
 */
export class ExternalTaskRetriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runtime: RuntimeService,
    private readonly history: HistoricInstanceIds,
    private readonly operationLog: OperationLogService,
    private readonly batches: BatchLauncher,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * @throws BadUserRequestException for negative retries; NotFoundException for an unknown task.
   */
  async setRetries(id: string, retries: number, userId: string | null): Promise<void> {
    requireNotNegative(retries);
    await this.apply([id], retries, (found) => {
      const task = found[0]!;
      return {
        ...this.operation(userId, null, [
          change('retries', retries, task.retries === null ? null : String(task.retries)),
        ]),
        processInstanceId: task.processInstanceId,
        processDefinitionId: task.processDefinitionId,
        processDefinitionKey: task.processDefinitionKey,
        tenantId: task.tenantId,
      };
    });
  }

  /**
   * Sets the retries of every selected task in one transaction; the first unknown task fails the request.
   * @throws BadUserRequestException for a `null` id, an empty selection or negative retries;
   * NotFoundException for an unknown task.
   */
  async setRetriesOfMany(
    selection: ExternalTaskRetriesSelection,
    retries: number,
    userId: string | null,
  ): Promise<void> {
    const ids = await this.collect(selection);
    requireNotNegative(retries);
    await this.apply(ids, retries, () =>
      this.operation(userId, null, [
        change('nrOfInstances', ids.length),
        change('async', false),
        change('retries', retries),
      ]),
    );
  }

  /**
   * Starts a `set-external-task-retries` batch over the selected tasks (chosen now); an unknown task
   * fails its item.
   * @throws BadUserRequestException as {@link setRetriesOfMany}.
   */
  async setRetriesAsync(
    selection: ExternalTaskRetriesSelection,
    retries: number,
    userId: string | null,
  ): Promise<BatchRecord> {
    const ids = await this.collect(selection);
    requireNotNegative(retries);
    return this.batches.create({
      type: 'set-external-task-retries',
      configuration: externalTaskRetriesBatchConfiguration.store({ retries }),
      processInstanceIds: ids,
      tenantId: null,
      userId,
      emptyMessage: 'externalTaskIds is empty',
      alongside: (sql, created, items) =>
        this.operationLog.write(sql, [
          this.operation(userId, created.id, [
            change('nrOfInstances', items),
            change('async', true),
            change('retries', retries),
          ]),
        ]),
    });
  }

  private async apply(
    ids: readonly string[],
    retries: number,
    logged: (found: ExternalTaskListing[]) => UserOperation,
  ): Promise<void> {
    const effects = await retriedTransaction(this.dataSource, async (sql) => {
      const result = await setRetriesOf(sql, this.runtime, ids, retries, this.clock());
      for (const id of ids) {
        const outcome = result.outcomes.get(id);
        if (outcome?.ok === false) throw outcome.error;
      }
      await this.operationLog.write(sql, [logged(result.found)]);
      return result.effects;
    });
    await this.runtime.afterCommit(effects);
  }

  /** Explicit ids, then those of the task query, then the tasks of the selected instances; de-duplicated. */
  private async collect(selection: ExternalTaskRetriesSelection): Promise<string[]> {
    if (selection.externalTaskIds.some((id) => id === null)) {
      throw new BadUserRequestException(
        'External task id cannot be null: externalTaskIds contains null value',
      );
    }
    const sql = sqlOf(this.dataSource);
    const now = this.clock();
    const ids = [...(selection.externalTaskIds as string[])];
    if (selection.externalTaskQuery !== undefined) {
      ids.push(...(await externalTasks.query(sql, selection.externalTaskQuery, now)).map((task) => task.id));
    }
    const instanceIds = await selectedIds(this.runtime, this.history, selection.instances);
    const ofInstances = await selectInChunks(instanceIds, (chunk) =>
      externalTasks.query(sql, { processInstanceIdIn: chunk }, now),
    );
    ids.push(...ofInstances.map((task) => task.id));
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw new BadUserRequestException('externalTaskIds is empty');
    return unique;
  }

  private operation(userId: string | null, batchId: string | null, changes: PropertyChange[]): UserOperation {
    return {
      operationType: OPERATION_TYPES.setExternalTaskRetries,
      entityType: 'ExternalTask',
      category: 'Operator',
      userId,
      timestamp: this.clock(),
      batchId,
      changes,
    };
  }
}

function requireNotNegative(retries: number): void {
  if (retries < 0) {
    throw new BadUserRequestException(
      'The number of retries cannot be negative: retries is not greater than or equal to 0',
    );
  }
}
