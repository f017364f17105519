import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import {
  completeLockedExternalTask,
  handleExternalTaskBpmnError,
  type VariableMap,
  handleExternalTaskFailure,
  NotFoundException,
  unlockExternalTask,
  visibleVariables,
  type ProcessInstanceState,
  type TriggerVariables,
  type TypedValue,
} from '@libs/engine';
import {
  ExternalTaskRepository,
  InstanceStore,
  sqlOf,
  type ExternalTaskListing,
  type ExternalTaskQuery,
  type ExternalTaskSortKey,
  type FetchAndLockRequest,
  type FetchTopicFilter,
  type Page,
  type Sorting,
} from '@libs/persistence';
import { retriedTransaction } from './retry';
import type { RuntimeService } from './runtime.service';

/** One topic of a fetch: which tasks, how long to lock them, which variables to return with them. */
export interface FetchTopic extends FetchTopicFilter {
  /** Names of the variables to return; `null`/absent: all of them. */
  readonly variables?: readonly string[] | null;
  /** Only variables local to the task's activity instance. */
  readonly localVariables?: boolean;
}

export interface FetchRequest extends Omit<FetchAndLockRequest, 'topics'> {
  readonly topics: readonly FetchTopic[];
}

/** A task locked for a worker, with the variables its topic asked for. */
export interface LockedExternalTask extends ExternalTaskListing {
  readonly variables: Readonly<Record<string, TypedValue>>;
}

export interface FetchOptions {
  /** Long polling: wait up to this many milliseconds for a task when none is available at once. */
  readonly asyncResponseTimeout?: number;
  /** Stops waiting (e.g. the client went away); the answer is then the empty list. */
  readonly signal?: AbortSignal;
}

export interface FailureReport extends TriggerVariables {
  readonly workerId: string;
  readonly errorMessage: string | null;
  readonly retries: number;
  readonly retryTimeout: number;
}

/** A worker's BPMN error: `variables` are set from the task before the error is thrown. */
export interface BpmnErrorReport {
  readonly workerId: string;
  readonly errorCode: string;
  readonly errorMessage: string | null;
  readonly variables?: VariableMap;
}

/**
 * External tasks: queries, fetch-and-lock for workers (set-wise and race-free, see
 * `ExternalTaskRepository.lock`), and the worker's reports, which run as engine operations on the
 * owning instance. Long polls re-try the fetch every `pollIntervalMs` until a task is locked, the
 * timeout passes, the caller aborts or the service closes.
 */
export class ExternalTaskService {
  private readonly externalTasks = new ExternalTaskRepository();
  private readonly store = new InstanceStore();
  private readonly closing = new AbortController();

  constructor(
    private readonly dataSource: DataSource,
    private readonly runtime: RuntimeService,
    private readonly clock: () => Date = () => new Date(),
    private readonly pollIntervalMs = 500,
  ) {}

  query(
    query: ExternalTaskQuery,
    page?: Page,
    sorting?: ReadonlyArray<Sorting<ExternalTaskSortKey>>,
  ): Promise<ExternalTaskListing[]> {
    return this.externalTasks.query(sqlOf(this.dataSource), query, this.clock(), page, sorting);
  }

  count(query: ExternalTaskQuery): Promise<number> {
    return this.externalTasks.count(sqlOf(this.dataSource), query, this.clock());
  }

  find(id: string): Promise<ExternalTaskListing | undefined> {
    return this.externalTasks.find(sqlOf(this.dataSource), id, this.clock());
  }

  /** Locks tasks for a worker; with `asyncResponseTimeout`, waits for some to appear. */
  async fetchAndLock(request: FetchRequest, options: FetchOptions = {}): Promise<LockedExternalTask[]> {
    const deadline = Date.now() + (options.asyncResponseTimeout ?? 0);
    const stop = options.signal
      ? AbortSignal.any([options.signal, this.closing.signal])
      : this.closing.signal;
    for (;;) {
      const locked = await this.lockOnce(request);
      const remaining = deadline - Date.now();
      if (locked.length > 0 || remaining <= 0 || stop.aborted) return locked;
      await sleep(Math.min(this.pollIntervalMs, remaining), undefined, { signal: stop }).catch(
        () => undefined,
      );
    }
  }

  /**
   * Completes a task for the worker that holds its lock.
   * @throws NotFoundException for an unknown task; BadUserRequestException for another worker.
   */
  async complete(id: string, workerId: string, variables: TriggerVariables): Promise<void> {
    await this.runtime.updateOwnerOf(
      'externalTask',
      id,
      (model, state, ctx) =>
        completeLockedExternalTask(model, state, { externalTaskId: id, workerId, ...variables }, ctx),
      () => externalTaskNotFound(id),
    );
  }

  /** Records a worker's failure (retries, error message, lock until the retry timeout). */
  async handleFailure(id: string, report: FailureReport): Promise<void> {
    await this.runtime.updateOwnerOf(
      'externalTask',
      id,
      (model, state, ctx) => handleExternalTaskFailure(model, state, { externalTaskId: id, ...report }, ctx),
      () => externalTaskNotFound(id),
    );
  }

  /**
   * Throws a BPMN error from a task for the worker that holds its lock (caught by the nearest
   * catcher, across call activities; nobody catches it: the task's token ends).
   * @throws NotFoundException for an unknown task; BadUserRequestException for another worker.
   */
  async handleBpmnError(id: string, report: BpmnErrorReport): Promise<void> {
    await this.runtime.updateOwnerOf(
      'externalTask',
      id,
      (model, state, ctx) =>
        handleExternalTaskBpmnError(model, state, { externalTaskId: id, ...report }, ctx),
      () => externalTaskNotFound(id),
    );
  }

  /** Releases a task's lock, whoever holds it. */
  async unlock(id: string): Promise<void> {
    await this.runtime.updateOwnerOf(
      'externalTask',
      id,
      (model, state, ctx) => unlockExternalTask(model, state, { externalTaskId: id }, ctx),
      () => externalTaskNotFound(id),
    );
  }

  /** Ends every pending long poll at once (with whatever it has); call before the HTTP server stops. */
  close(): void {
    this.closing.abort();
  }

  private async lockOnce(request: FetchRequest): Promise<LockedExternalTask[]> {
    const locked = await retriedTransaction(this.dataSource, (sql) =>
      this.externalTasks.lock(sql, request, this.clock()),
    );
    if (locked.length === 0) return [];
    const instanceIds = [...new Set(locked.map((task) => task.processInstanceId))];
    const states = await this.store.load(sqlOf(this.dataSource), instanceIds);
    const topics = new Map(request.topics.map((topic) => [topic.topicName, topic]));
    return locked.map((task) => {
      const state = states.get(task.processInstanceId)?.state;
      const topic = topics.get(task.topicName);
      return { ...task, variables: state && topic ? variablesFor(state, task, topic) : {} };
    });
  }
}

function variablesFor(
  state: ProcessInstanceState,
  task: ExternalTaskListing,
  topic: FetchTopic,
): Record<string, TypedValue> {
  const visible = topic.localVariables
    ? Object.fromEntries(
        state.variables
          .filter((variable) => variable.scopeId === task.activityInstanceId)
          .map((variable) => [variable.name, variable.value]),
      )
    : visibleVariables(state, task.activityInstanceId);
  if (topic.variables === null || topic.variables === undefined) return visible;
  const wanted = new Set(topic.variables);
  return Object.fromEntries(Object.entries(visible).filter(([name]) => wanted.has(name)));
}

function externalTaskNotFound(id: string): NotFoundException {
  return new NotFoundException(`Cannot find external task with id ${id}: externalTask is null`);
}
