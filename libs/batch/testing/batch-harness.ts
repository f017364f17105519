import { Writable } from 'node:stream';
import { ProcessEngineException } from '@libs/engine';
import { createLogger } from '@libs/logging';
import type { Transactions } from '@libs/persistence';
import type { InstanceOutcome } from '@libs/runtime';
import { BatchRedispatcher } from '../batch-redispatcher';
import { BatchService } from '../batch.service';
import { BatchSteps } from '../batch-steps';
import type { BatchStores } from '../batch-stores';
import { BATCH_TYPES, type BatchHandlers, type BatchSettings, type BatchTypeHandler } from '../batch-types';
import { FakeInstances, inMemoryTransactions, RecordingDispatcher } from './fake-batch-ports';
import { InMemoryBatchJobs } from './in-memory-batch-jobs';
import { InMemoryBatches, InMemoryHistoricBatches } from './in-memory-batches';
import { InMemoryBatchTables } from './in-memory-batch-tables';
import { InMemoryBatchWork } from './in-memory-batch-work';

/** Why a fake operation fails an item: the engine error a test expects to find on the item and job. */
export const failureOf = (subjectId: string) => new ProcessEngineException(`cannot handle '${subjectId}'`);

/**
 * A process-instance handler whose operation fails the instances in `failing` (read at every run, so
 * a test can change it between runs) and moves the others to definition `migrated:1`.
 */
export function fakeInstanceHandler(failing: ReadonlySet<string>): BatchTypeHandler {
  return {
    async prepare() {
      return (_model, state) => {
        if (failing.has(state.id)) throw failureOf(state.id);
        return { state: { ...state, definitionId: 'migrated:1' }, effects: [] };
      };
    },
  };
}

/** A handler on jobs (as `set-job-retries`) failing the subjects in `failing`, recording the others in `done`. */
export function fakeJobHandler(failing: ReadonlySet<string>, done: string[]): BatchTypeHandler {
  return {
    subject: 'job',
    async prepare() {
      return async (_sql, subjectIds) => {
        const outcomes = new Map<string, InstanceOutcome>();
        for (const id of subjectIds) {
          if (failing.has(id)) outcomes.set(id, { ok: false, error: failureOf(id) });
          else {
            done.push(id);
            outcomes.set(id, { ok: true });
          }
        }
        return { outcomes, afterCommit: async () => undefined };
      };
    },
  };
}

export interface BatchHarnessOptions {
  readonly batchJobsPerSeed?: number;
  readonly invocationsPerBatchJob?: number;
  readonly selectionChunk?: number;
  /**
   * Where the services keep their rows: the in-memory stores by default; the contract test passes the
   * repositories and a data source's transactions, to prove both answer alike.
   */
  readonly backend?: { readonly stores: BatchStores; readonly transactions: Transactions };
}

/**
 * The batch services (steps, service, redispatcher) on in-memory stores (unless another backend is given), a recording dispatcher, fake
 * instances and a clock that moves only when told to: no MySQL, no Redis. Every batch type runs the
 * fake instance handler, except `set-job-retries`, which runs the fake job handler.
 */
export function batchHarness(options: BatchHarnessOptions = {}) {
  const tables = new InMemoryBatchTables();
  const jobs = new InMemoryBatchJobs(tables);
  const stores: BatchStores = options.backend?.stores ?? {
    batches: new InMemoryBatches(tables),
    work: new InMemoryBatchWork(tables),
    jobs,
    history: new InMemoryHistoricBatches(tables),
  };
  const transactions = options.backend?.transactions ?? inMemoryTransactions(tables);
  const dispatcher = new RecordingDispatcher();
  const instances = new FakeInstances();
  const failing = new Set<string>();
  const jobSubjectsDone: string[] = [];
  const clock = { now: new Date('2024-05-02T09:00:00.000Z') };
  const settings: BatchSettings = {
    batchJobsPerSeed: options.batchJobsPerSeed ?? 2,
    invocationsPerBatchJob: Object.fromEntries(
      BATCH_TYPES.map((type) => [type, options.invocationsPerBatchJob ?? 2]),
    ) as BatchSettings['invocationsPerBatchJob'],
    pollTimeMs: 30_000,
    selectionChunk: options.selectionChunk ?? 10_000,
  };
  const instanceHandler = fakeInstanceHandler(failing);
  const handlers: BatchHandlers = {
    'correlate-message': instanceHandler,
    'historic-process-instance-deletion': instanceHandler,
    'instance-deletion': instanceHandler,
    'instance-migration': instanceHandler,
    'instance-modification': instanceHandler,
    'instance-restart': instanceHandler,
    'instance-update-suspension-state': instanceHandler,
    'set-external-task-retries': instanceHandler,
    'set-job-retries': fakeJobHandler(failing, jobSubjectsDone),
    'set-variables': instanceHandler,
  };
  const logger = createLogger({
    level: 'info',
    format: 'json',
    stream: new Writable({ write: (_c, _e, done) => done() }),
  });
  const now = () => clock.now;
  const steps = new BatchSteps(stores, transactions, instances, handlers, dispatcher, settings, logger, now);
  const redispatcher = new BatchRedispatcher(stores, transactions, dispatcher, logger);
  const service = new BatchService(stores, transactions, dispatcher, redispatcher, settings, logger, now);
  return {
    tables,
    jobs,
    stores,
    transactions,
    dispatcher,
    instances,
    failing,
    jobSubjectsDone,
    clock,
    settings,
    steps,
    redispatcher,
    service,
  };
}

export type BatchHarness = ReturnType<typeof batchHarness>;
