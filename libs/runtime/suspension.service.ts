import { setSuspension } from '@libs/engine';
import type { BatchRecord, HistoricProcessInstanceQuery, ProcessInstanceQuery } from '@libs/persistence';
import { withHistoricIds, type HistoricInstanceIds, type InstanceSelection } from './instance-selection';
import type { BatchLauncher } from './batch-launcher';
import type { RuntimeService } from './runtime.service';
import { suspensionBatchConfiguration } from './suspension-batch-configuration';

/** The instances a group suspension selects: explicit ids and/or a query (their union). */
export interface SuspensionSelection {
  readonly processInstanceIds: readonly string[];
  readonly processInstanceQuery: ProcessInstanceQuery | undefined;
  /** Instances found in history are added to the ids (Camunda's `historicProcessInstanceQuery`). */
  readonly historicProcessInstanceQuery?: HistoricProcessInstanceQuery;
}

/** Instances changed per transaction by a synchronous group update. */
const CHUNK = 1_000;

/**
 * Suspending and activating process instances: one (`PUT /process-instance/{id}/suspended`), a group
 * now (`PUT /process-instance/suspended`), or a group as an `instance-update-suspension-state` batch
 * (`POST /process-instance/suspended-async`). A suspended instance's jobs do not run and its tasks
 * cannot be completed; activating it lets its jobs run again (the engine's `asyncJobResumed` and
 * `timerResumed` effects dispatch them after the commit).
 */
export class SuspensionService {
  constructor(
    private readonly runtime: RuntimeService,
    private readonly batches: BatchLauncher,
    private readonly history: HistoricInstanceIds,
  ) {}

  /** The explicit ids with those of the historic query, and the query over running instances. */
  private withHistory(selection: SuspensionSelection): Promise<InstanceSelection> {
    return withHistoricIds(this.history, {
      ids: [...selection.processInstanceIds],
      query: selection.processInstanceQuery,
      historicQuery: selection.historicProcessInstanceQuery,
    });
  }

  /** @throws NotFoundException about the `processInstance` when it is not running. */
  async setSuspension(instanceId: string, suspended: boolean): Promise<void> {
    await this.runtime.update(instanceId, (model, state, ctx) =>
      setSuspension(model, state, { suspended }, ctx),
    );
  }

  /**
   * Suspends or activates the selected running instances now, a thousand per transaction (Camunda uses
   * one statement; here each instance's jobs follow it). Ids of instances that are not running are
   * skipped, as Camunda's update by id changes nothing for them. Resolves to the number selected.
   */
  async setSuspensionOfGroup(selection: SuspensionSelection, suspended: boolean): Promise<number> {
    const { ids: explicit, query } = await this.withHistory(selection);
    const ids = new Set(explicit);
    if (query) {
      for (const instance of await this.runtime.queryInstances(query)) ids.add(instance.id);
    }
    const all = [...ids];
    for (let start = 0; start < all.length; start += CHUNK) {
      await this.runtime.updateMany(all.slice(start, start + CHUNK), (model, state, ctx) =>
        setSuspension(model, state, { suspended }, ctx),
      );
    }
    return all.length;
  }

  /**
   * Starts an `instance-update-suspension-state` batch over the selected instances (fixed now).
   * @throws BadUserRequestException "No process instance ids given" when nothing is selected.
   */
  async setSuspensionAsync(
    selection: SuspensionSelection,
    suspended: boolean,
    userId: string | null,
  ): Promise<BatchRecord> {
    const { ids, query } = await this.withHistory(selection);
    return this.batches.create({
      type: 'instance-update-suspension-state',
      configuration: suspensionBatchConfiguration.store({ suspended }),
      processInstanceIds: ids,
      processInstanceQuery: query,
      tenantId: null,
      userId,
      emptyMessage: 'No process instance ids given: process Instance Ids is empty',
    });
  }
}
