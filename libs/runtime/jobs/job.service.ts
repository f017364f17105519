import type { DataSource } from 'typeorm';
import { NotFoundException } from '@libs/engine';
import {
  sqlOf,
  type BatchRecord,
  type JobRepository,
  type JobQuery,
  type JobSelector,
  type JobRecord,
  type JobSortKey,
  type Page,
  type RetriedJob,
  type Sorting,
  type StoredJobKind,
} from '@libs/persistence';
import type { JobPayload } from '@libs/queue';
import type { BatchLauncher } from '../batch-launcher';
import type { InstanceSelection } from '../instance-selection';
import { retriedTransaction } from '../retry';
import { jobRetriesBatchConfiguration, type JobRetriesPlan } from './job-retries-batch-configuration';
import type { JobHandler, JobHandlers, JobKind, JobRun } from './job-handler';

/** `POST /job/retries`: the jobs (by id and by query) and what to set on them. */
export interface SetRetriesAsyncCommand extends JobRetriesPlan {
  readonly jobIds: readonly string[];
  readonly jobQuery?: JobQuery;
}

/** Camunda's message for a job id that names no job (its typo included). */
const noJob = (jobId: string) => new NotFoundException(`ENGINE-13053 No job found with id '${jobId}'.'`);

/**
 * Jobs of every kind, through one door: queries, running a job from its queue, and what the REST API
 * does to a job by id (execute, retries, due date, delete). What differs by kind is its handler's
 * business; retries and due dates are set by one statement for every kind, then the job's handler
 * puts it back in its queue.
 */
export class JobService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: JobRepository,
    private readonly handlers: JobHandlers,
    private readonly batches: BatchLauncher,
    /** The instance ids a selection names (explicit, historic query, query). */
    private readonly instances: (selection: InstanceSelection) => Promise<string[]>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Runs a job a worker picked up from the queue of its kind. */
  run<K extends JobKind>(kind: K, payload: JobPayload<K>): Promise<JobRun> {
    // The registry pairs each kind with its payload; TypeScript cannot follow that through an index.
    const handler = this.handlers[kind] as JobHandler<K>;
    return handler.run(payload);
  }

  getJob(jobId: string): Promise<JobRecord | undefined> {
    return this.repository.find(sqlOf(this.dataSource), jobId);
  }

  queryJobs(query: JobQuery, page?: Page, sorting?: Sorting<JobSortKey>[]): Promise<JobRecord[]> {
    return this.repository.query(sqlOf(this.dataSource), query, this.clock(), page, sorting);
  }

  countJobs(query: JobQuery): Promise<number> {
    return this.repository.count(sqlOf(this.dataSource), query, this.clock());
  }

  /**
   * Runs a job now, whatever its due date (`POST /job/{id}/execute`).
   * @throws NotFoundException when there is no such job; the process's error when it fails the job.
   */
  async execute(jobId: string): Promise<void> {
    const job = await this.getJob(jobId);
    if (!job) throw new NotFoundException(`No job found with id '${jobId}'`, { entity: 'job', id: jobId });
    await this.handlers[job.kind].execute(job);
  }

  /**
   * Sets a job's retries (negative values count as 0). A job with retries left runs again at its due
   * date, which `dueDate` replaces when given (`null`: due now, Camunda's semantics for every kind).
   * @throws NotFoundException (ENGINE-13053) when there is no such job.
   */
  async setRetries(jobId: string, retries: number, dueDate?: Date | null): Promise<void> {
    const found = await this.setRetriesOf([jobId], retries, dueDate);
    if (found.length === 0) throw noJob(jobId);
  }

  /**
   * Starts Camunda's `set-job-retries` batch (`POST /job/retries`) over the jobs of `jobIds` and of
   * `jobQuery`, chosen now; unknown ids become items that fail.
   * @throws BadUserRequestException "jobIds is empty" when nothing is selected.
   */
  /**
   * Camunda's `set-job-retries` batch over the jobs of the selected process instances
   * (`POST /process-instance/job-retries`), the jobs chosen now.
   * @throws BadUserRequestException `jobIds is empty` when the instances have no job.
   */
  async setRetriesOfInstancesAsync(
    selection: InstanceSelection,
    plan: JobRetriesPlan,
    userId: string | null,
  ): Promise<BatchRecord> {
    const instanceIds = await this.instances(selection);
    return this.setRetriesAsync(
      { ...plan, jobIds: [], jobQuery: { processInstanceIds: instanceIds } },
      userId,
    );
  }

  async setRetriesAsync(command: SetRetriesAsyncCommand, userId: string | null): Promise<BatchRecord> {
    const jobIds = new Set(command.jobIds);
    if (command.jobQuery) for (const job of await this.queryJobs(command.jobQuery)) jobIds.add(job.id);
    return this.batches.create({
      type: 'set-job-retries',
      configuration: jobRetriesBatchConfiguration.store(command),
      processInstanceIds: [...jobIds],
      tenantId: null,
      userId,
      emptyMessage: 'jobIds is empty',
    });
  }

  /**
   * Sets the retries of the failed jobs (no retries left) of a job definition
   * (`PUT /job-definition/{id}/retries`: Camunda's way to retry a batch's failed jobs).
   */
  async setRetriesOfFailed(jobDefinitionId: string, retries: number): Promise<void> {
    await this.setRetriesOf(
      await this.repository.failedJobIds(sqlOf(this.dataSource), jobDefinitionId),
      retries,
    );
  }

  /**
   * Suspends or activates the jobs `selector` names (`PUT /job/{id}/suspended`, `PUT /job/suspended`).
   * A suspended job stays in its queue until a worker picks it up, finds it suspended and leaves it;
   * activated jobs are put back in their queues. Unknown ids change nothing, as in Camunda.
   */
  async setSuspended(selector: JobSelector, suspended: boolean): Promise<void> {
    const changed = await retriedTransaction(this.dataSource, async (sql) =>
      this.repository.setSuspended(sql, await this.repository.jobIdsOf(sql, selector), suspended),
    );
    if (!suspended) await this.schedule(changed);
  }

  /**
   * Sets a job's priority (`PUT /job/{id}/priority`). Workers do not order jobs by priority (Camunda's
   * default `jobExecutorAcquireByPriority=false`): it is reported and filtered on only.
   * @throws NotFoundException when there is no such job.
   */
  async setPriority(jobId: string, priority: number): Promise<void> {
    const found = await retriedTransaction(this.dataSource, (sql) =>
      this.repository.setPriority(sql, [jobId], priority),
    );
    if (found === 0)
      throw new NotFoundException(`No job found with id '${jobId}'`, { entity: 'job', id: jobId });
  }

  /**
   * Moves a job's due date (`null`: due now) and puts it back in its queue, due then.
   * @throws NotFoundException when there is no such job.
   */
  async setDueDate(jobId: string, dueDate: Date | null): Promise<void> {
    const due = dueDate ?? this.clock();
    const moved = await retriedTransaction(this.dataSource, (sql) =>
      this.repository.setDueDate(sql, jobId, due),
    );
    if (!moved) throw new NotFoundException(`No job found with id '${jobId}'.`, { entity: 'job', id: jobId });
    await this.schedule([moved]);
  }

  /**
   * Deletes a job (`DELETE /job/{id}`), as its kind allows.
   * @throws NotFoundException when there is no such job (or a run in progress completed it).
   */
  async delete(jobId: string): Promise<void> {
    const job = await this.getJob(jobId);
    if (!job) throw new NotFoundException(`No job found with id '${jobId}'`, { entity: 'job', id: jobId });
    await this.handlers[job.kind].delete(job);
  }

  /** Puts jobs whose retries or due dates were set back in their queues, each by its kind's handler. */
  async schedule(jobs: readonly RetriedJob[]): Promise<void> {
    const byKind = new Map<StoredJobKind, RetriedJob[]>();
    for (const job of jobs) {
      const ofKind = byKind.get(job.kind);
      if (ofKind) ofKind.push(job);
      else byKind.set(job.kind, [job]);
    }
    for (const [kind, ofKind] of byKind) await this.handlers[kind].schedule(ofKind);
  }

  private async setRetriesOf(
    jobIds: readonly string[],
    retries: number,
    dueDate?: Date | null,
  ): Promise<RetriedJob[]> {
    const due = dueDate === undefined ? undefined : (dueDate ?? this.clock());
    const found = await retriedTransaction(this.dataSource, (sql) =>
      this.repository.setRetries(sql, jobIds, Math.max(0, retries), due),
    );
    await this.schedule(found);
    return found;
  }
}
