import type { DataSource } from 'typeorm';
import { BadUserRequestException, NotFoundException } from '@libs/engine';
import {
  sqlOf,
  type JobDefinitionQuery,
  type JobDefinitionRecord,
  type JobDefinitionRepository,
  type JobDefinitionSelector,
  type JobDefinitionSortKey,
  type JobRepository,
  type Page,
  type RetriedJob,
  type Sorting,
} from '@libs/persistence';
import { retriedTransaction } from '../retry';

/** `PUT /job-definition/{id}/suspended` and `PUT /job-definition/suspended`. */
export interface JobDefinitionSuspension {
  readonly selector: JobDefinitionSelector;
  readonly suspended: boolean;
  /** Also suspend or activate the definitions' existing jobs. */
  readonly includeJobs: boolean;
}

/**
 * Job definitions (Camunda's management service part): queries, suspension and priority override.
 * Process definitions' job definitions are stored; a batch's three follow their batch (suspend or
 * activate the batch), so they are listed but not changed here.
 */
export class JobDefinitionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly definitions: JobDefinitionRepository,
    private readonly jobs: JobRepository,
    /** Puts activated jobs back in their queues (the jobs service's `schedule`). */
    private readonly schedule: (jobs: readonly RetriedJob[]) => Promise<void>,
  ) {}

  query(
    query: JobDefinitionQuery,
    page?: Page,
    sorting?: Sorting<JobDefinitionSortKey>[],
  ): Promise<JobDefinitionRecord[]> {
    return this.definitions.query(sqlOf(this.dataSource), query, page, sorting);
  }

  count(query: JobDefinitionQuery): Promise<number> {
    return this.definitions.count(sqlOf(this.dataSource), query);
  }

  get(id: string): Promise<JobDefinitionRecord | undefined> {
    return this.definitions.find(sqlOf(this.dataSource), id);
  }

  /**
   * Suspends or activates job definitions: new jobs of a suspended definition are created suspended;
   * with `includeJobs` their existing jobs follow (activated ones go back to their queues). Unknown
   * ids change nothing, as in Camunda.
   * @throws BadUserRequestException for a batch's job definition (its batch's suspension governs it).
   */
  async setSuspended({ selector, suspended, includeJobs }: JobDefinitionSuspension): Promise<void> {
    if ('jobDefinitionId' in selector)
      await this.refuseBatchDefinition(selector.jobDefinitionId, 'suspension');
    const activated = await retriedTransaction(this.dataSource, async (sql) => {
      const ids = await this.definitions.setSuspended(sql, selector, suspended);
      if (!includeJobs || ids.length === 0) return [];
      const jobIds = await this.jobs.jobIdsOf(sql, { jobDefinitionIds: ids });
      return this.jobs.setSuspended(sql, jobIds, suspended);
    });
    if (!suspended) await this.schedule(activated);
  }

  /**
   * Sets (`null`: clears) a job definition's overriding priority, which new jobs of it get; with
   * `includeJobs` its existing jobs get it too.
   * @throws NotFoundException when there is no such job definition.
   * @throws BadUserRequestException for a batch's job definition.
   */
  async setOverridingPriority(id: string, priority: number | null, includeJobs: boolean): Promise<void> {
    await this.refuseBatchDefinition(id, 'priority');
    await retriedTransaction(this.dataSource, async (sql) => {
      if (!(await this.definitions.setOverridingPriority(sql, id, priority))) {
        throw new NotFoundException(`Job definition with id '${id}' does not exist`, {
          entity: 'jobDefinition',
          id,
        });
      }
      if (includeJobs && priority !== null) {
        await this.jobs.setPriority(sql, await this.jobs.jobIdsOf(sql, { jobDefinitionIds: [id] }), priority);
      }
    });
  }

  private async refuseBatchDefinition(id: string, what: 'suspension' | 'priority'): Promise<void> {
    const definition = await this.get(id);
    if (definition?.batchId) {
      throw new BadUserRequestException(
        what === 'suspension'
          ? `Job definition '${id}' belongs to batch '${definition.batchId}': suspend or activate the batch instead`
          : `Job definition '${id}' belongs to batch '${definition.batchId}': its jobs' priority cannot be overridden`,
      );
    }
  }
}
