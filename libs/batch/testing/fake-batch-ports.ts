import type { ProcessModel } from '@libs/bpmn';
import { processInstanceNotFound, ProcessEngineException, type ProcessInstanceState } from '@libs/engine';
import type { DispatchableJob, Sql, Transactions } from '@libs/persistence';
import type { InstanceOperation, InstanceOutcome } from '@libs/runtime';
import type { InstanceApplier } from '../batch-stores';
import type { BatchDispatcher } from '../batch-types';
import type { InMemoryBatchTables } from './in-memory-batch-tables';

/** The handle the in-memory stores are given: they ignore it, and any SQL sent to it fails the test. */
export const NO_SQL: Sql = {
  select: () => Promise.reject(new Error('the in-memory batch stores run no SQL')),
  execute: () => Promise.reject(new Error('the in-memory batch stores run no SQL')),
};

/** Transactions over in-memory tables: a transaction that throws puts the rows back as they were. */
export function inMemoryTransactions(tables: InMemoryBatchTables): Transactions {
  return {
    async run(work) {
      const before = tables.copy();
      try {
        return await work(NO_SQL);
      } catch (error) {
        tables.restore(before);
        throw error;
      }
    },
    snapshot: (work) => work(NO_SQL),
    plain: () => NO_SQL,
  };
}

/** One call of the dispatcher, as recorded. */
export type Dispatch =
  | { readonly kind: 'seed'; readonly batchId: string; readonly generation: number }
  | { readonly kind: 'execution'; readonly batchId: string; readonly jobs: readonly DispatchableJob[] }
  | { readonly kind: 'monitor'; readonly batchId: string; readonly now: boolean }
  | {
      readonly kind: 'remove';
      readonly batchId: string;
      readonly jobs: readonly DispatchableJob[];
      readonly seedGenerations: readonly number[];
    };

/** A dispatcher that records what it was asked to dispatch, in order; `take()` hands the calls over. */
export class RecordingDispatcher implements BatchDispatcher {
  calls: Dispatch[] = [];

  async dispatchSeed(batchId: string, generation: number): Promise<void> {
    this.calls.push({ kind: 'seed', batchId, generation });
  }

  async dispatchExecution(batchId: string, jobs: readonly DispatchableJob[]): Promise<void> {
    this.calls.push({ kind: 'execution', batchId, jobs: [...jobs] });
  }

  async dispatchMonitor(batchId: string, options: { now: boolean }): Promise<void> {
    this.calls.push({ kind: 'monitor', batchId, now: options.now });
  }

  async removeBatchWork(
    batchId: string,
    jobs: readonly DispatchableJob[],
    seedGenerations: readonly number[],
  ): Promise<void> {
    this.calls.push({ kind: 'remove', batchId, jobs: [...jobs], seedGenerations: [...seedGenerations] });
  }

  /** The calls recorded since the last `take`, and forgets them. */
  take(): Dispatch[] {
    const calls = this.calls;
    this.calls = [];
    return calls;
  }

  /** The ids of the execution jobs dispatched in `calls`, in order. */
  static executionJobIds(calls: readonly Dispatch[]): string[] {
    return calls.flatMap((call) => (call.kind === 'execution' ? call.jobs.map((job) => job.id) : []));
  }
}

/** A model with no flow nodes: the fake operations of the unit tests decide by instance id alone. */
const EMPTY_MODEL: ProcessModel = {
  id: 'fake',
  name: null,
  versionTag: null,
  historyTimeToLive: null,
  taskPriority: null,
  jobPriority: null,
  startableInTasklist: true,
  startEventId: 'start',
  initiatorVariable: null,
  nodes: new Map(),
  flows: new Map(),
  childrenOfScope: new Map(),
  boundaryEventsOf: new Map(),
  eventSubProcessesOf: new Map(),
};

/** A running instance with nothing in it but its id and definition. */
export function instanceState(id: string, definitionId = 'process:1'): ProcessInstanceState {
  return {
    id,
    definitionId,
    definitionKey: definitionId.split(':')[0]!,
    businessKey: null,
    tenantId: null,
    state: 'ACTIVE',
    suspended: false,
    startTime: new Date(0),
    endTime: null,
    activityInstances: [],
    tasks: [],
    externalTasks: [],
    eventSubscriptions: [],
    jobs: [],
    asyncJobs: [],
    eventScopes: [],
    variables: [],
  };
}

/**
 * `RuntimeService.applyEach/afterCommit` over instance states in memory: an unknown instance is not
 * found, a ProcessEngineException fails that instance only (its state is kept), any other error fails
 * the call; successful results are written back (and stay, even if the caller's transaction rolls
 * back: the states are not part of the in-memory tables). `applied` lists every instance id an
 * operation changed, in order, and `afterCommits` counts the after-commit calls.
 */
export class FakeInstances implements InstanceApplier {
  readonly states = new Map<string, ProcessInstanceState>();
  readonly applied: string[] = [];
  afterCommits = 0;

  add(...ids: string[]): this {
    for (const id of ids) this.states.set(id, instanceState(id));
    return this;
  }

  async applyEach(
    _sql: Sql,
    instanceIds: readonly string[],
    operation: InstanceOperation,
  ): Promise<{ outcomes: Map<string, InstanceOutcome>; effects: [] }> {
    const outcomes = new Map<string, InstanceOutcome>();
    const ctx = { now: new Date(0), newId: () => 'id' };
    for (const id of instanceIds) {
      const state = this.states.get(id);
      if (!state) {
        outcomes.set(id, { ok: false, error: processInstanceNotFound(id) });
        continue;
      }
      try {
        this.states.set(id, operation(EMPTY_MODEL, state, ctx).state);
        this.applied.push(id);
        outcomes.set(id, { ok: true });
      } catch (error) {
        if (!(error instanceof ProcessEngineException)) throw error;
        outcomes.set(id, { ok: false, error });
      }
    }
    return { outcomes, effects: [] };
  }

  async afterCommit(): Promise<void> {
    this.afterCommits += 1;
  }
}
