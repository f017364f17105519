import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ProcessModel } from '@libs/bpmn';
import {
  NotFoundException,
  processInstanceNotFound,
  OptimisticLockingException,
  ProcessEngineException,
  startInstance,
  type EngineContext,
  type EngineEffect,
  type EngineResult,
  type InstantiationInstruction,
  type ProcessInstanceState,
  type VariableMap,
} from '@libs/engine';
import {
  ExecutionRepository,
  HistoryRepository,
  type ExecutionQuery,
  type ExecutionRecord,
  type ExecutionSortKey,
  InstanceStore,
  JobLogRepository,
  ProcessInstanceRepository,
  sqlOf,
  transaction,
  type HistoryEntry,
  type InstanceRecordKind,
  type Page,
  type ProcessDefinitionRecord,
  type ProcessInstanceQuery,
  type ProcessInstanceRecord,
  type ProcessInstanceSortKey,
  type Sorting,
  type Sql,
} from '@libs/persistence';
import { CallActivityCascade, type AppliedOperation } from './call-activity-cascade';
import type { ProcessModels } from './process-models';
import { isTransientSqlError, retryReason, type RetryObserver } from './retry';
import { applyAsyncJobEffects, type AsyncJobDispatcher } from './async-job-dispatcher';
import { applyTimerEffects, type TimerScheduler } from './timer-scheduler';
import { broadcastOf, SignalCascade, type SignalBroadcast, type ThrownSignal } from './signal-cascade';

/** How many levels of called instances one operation may start, delete or continue. */
const MAX_CALL_DEPTH = 100;

/** How many instances one transaction of a signal broadcast changes. */
const SIGNAL_CHUNK = 500;

/** What became of one instance in `applyEach`. */
export type InstanceOutcome =
  { readonly ok: true } | { readonly ok: false; readonly error: ProcessEngineException };

/** An engine operation on one loaded instance. */
export type InstanceOperation = (
  model: ProcessModel,
  state: ProcessInstanceState,
  ctx: EngineContext,
) => EngineResult;

export interface StartCommand {
  readonly businessKey: string | null;
  readonly variables: VariableMap;
  /** The authenticated user who starts it (`camunda:initiator`); `null` or absent: anonymous. */
  readonly initiatorId?: string | null;
  /** Start through this message, signal or timer start event instead of the initial one. */
  readonly startEventId?: string;
  /** Instantiate at these elements instead of the start event (see the engine's `startInstance`). */
  readonly startInstructions?: readonly InstantiationInstruction[];
  readonly skipCustomListeners?: boolean;
  readonly skipIoMappings?: boolean;
  /** The instance's tenant when the definition has none (a restart keeps its instance's); default: the definition's. */
  readonly tenantId?: string | null;
}

/** What became of one command of {@link RuntimeService.startEach}. */
export type StartOutcome =
  | { readonly ok: true; readonly state: ProcessInstanceState }
  | { readonly ok: false; readonly error: ProcessEngineException };

/** Options of {@link RuntimeService.updateMany}. */
export interface UpdateManyOptions {
  readonly requireAll?: boolean;
  /** The error for a missing instance under `requireAll` (default: NotFoundException). */
  readonly notFound?: (instanceId: string) => Error;
  /** Further writes inside the same transaction, after the instances were saved. */
  readonly alongside?: (sql: Sql) => Promise<void>;
}

/** What an operation's target is: the kind of record whose instance is changed. */
export type RecordKind = InstanceRecordKind;

/**
 * The imperative shell of the engine: loads instance states, runs pure engine operations on them and
 * writes the results (state differences, history) in one transaction, then schedules the timers the
 * operation created. Every change of an instance is serialisable: the transaction locks the instance
 * rows first (`FOR UPDATE`, in key order) and reads everything else after that lock at READ COMMITTED,
 * so it decides on the latest committed state; concurrent writers of the same instance wait their
 * turn. The revision check on save stays as a second line of defence: a conflict (or a deadlock) makes
 * the whole operation re-run on fresh state, so no update is ever lost.
 */
export class RuntimeService {
  private readonly store = new InstanceStore();
  private readonly history = new HistoryRepository();
  private readonly instances = new ProcessInstanceRepository();
  private readonly executions = new ExecutionRepository();
  private readonly jobLog = new JobLogRepository();
  private readonly cascade: CallActivityCascade;
  private readonly signals: SignalCascade;

  constructor(
    private readonly dataSource: DataSource,
    private readonly models: ProcessModels,
    private readonly timers: TimerScheduler,
    private readonly asyncJobs: AsyncJobDispatcher,
    private readonly clock: () => Date = () => new Date(),
    /** Told of each re-run after a conflict or a transient error (the log says it was a retry). */
    private readonly onRetry: RetryObserver = () => undefined,
  ) {
    this.cascade = new CallActivityCascade(models);
    this.signals = new SignalCascade(models);
  }

  /**
   * Broadcasts a signal: every waiting signal subscription of the instances it reaches receives it,
   * and the latest active definitions with a matching signal start event start an instance each. The
   * receivers are found with one query and changed a chunk (500) at a time, each chunk its own transaction
   * (a broadcast to ten thousand instances neither holds ten thousand row locks nor starts over when
   * one chunk meets a conflict), two at a time; instances started by the signal come with the first.
   * Signals thrown by the receivers travel on within their chunk's transaction.
   */
  async broadcastSignal(signal: SignalBroadcast): Promise<void> {
    const receivers = await this.signals.receivers(sqlOf(this.dataSource), signal);
    const chunks: string[][] = [];
    for (let start = 0; start < receivers.length; start += SIGNAL_CHUNK) {
      chunks.push(receivers.slice(start, start + SIGNAL_CHUNK));
    }
    // The started instances come with the first chunk (alone when nothing waits).
    await this.applyRound((sql, ctx) => this.signals.deliver(sql, signal, ctx, chunks.shift() ?? [], true));
    // Chunks hold disjoint instances: two transactions at a time keep the database and this process busy.
    const lane = async () => {
      for (let chunk = chunks.shift(); chunk !== undefined; chunk = chunks.shift()) {
        const ids = chunk;
        await this.applyRound((sql, ctx) => this.signals.deliver(sql, signal, ctx, ids, false));
      }
    };
    await Promise.all([lane(), lane()]);
  }

  /** Writes the operations `round` produces inside one transaction (re-run on conflicts), then dispatches. */
  private async applyRound(
    round: (sql: Sql, ctx: EngineContext) => Promise<AppliedOperation[]>,
  ): Promise<void> {
    const effects = await this.retrying(() =>
      transaction(this.dataSource, async (sql): Promise<EngineEffect[]> => {
        const outcome = await round(sql, this.context());
        if (outcome.length === 0) return [];
        const cascaded = await this.write(sql, outcome);
        return [...outcome.flatMap(({ result }) => result.effects), ...cascaded];
      }),
    );
    await this.dispatchJobs(effects);
  }

  /**
   * Starts instances of a definition, all in one transaction (one for the REST call, many for seeding).
   * `alongside` writes first in the same transaction (a timer start job claims its row there).
   */
  async start(
    definition: ProcessDefinitionRecord,
    commands: readonly StartCommand[],
    alongside?: (sql: Sql) => Promise<void>,
  ): Promise<ProcessInstanceState[]> {
    const model = await this.startableModel(definition);
    const ctx = this.context();
    const results = commands.map((command) => this.instantiate(model, definition, command, ctx));
    await this.persist(
      results.map((result) => ({ change: { before: null, after: result.state }, model, result })),
      alongside,
    );
    return results.map((result) => result.state);
  }

  /**
   * Starts an instance per command inside the caller's transaction and writes them there. A
   * ProcessEngineException of one command (an instruction the model refuses) is that command's outcome,
   * not the caller's failure. Returns the outcomes in command order and the effects to act on once the
   * transaction has committed ({@link afterCommit}).
   */
  async startEach(
    sql: Sql,
    definition: ProcessDefinitionRecord,
    commands: readonly StartCommand[],
  ): Promise<{ outcomes: StartOutcome[]; effects: EngineEffect[] }> {
    const model = await this.startableModel(definition);
    const ctx = this.context();
    const applied: AppliedOperation[] = [];
    const outcomes = commands.map((command): StartOutcome => {
      try {
        const result = this.instantiate(model, definition, command, ctx);
        applied.push({ change: { before: null, after: result.state }, model, result });
        return { ok: true, state: result.state };
      } catch (error) {
        if (!(error instanceof ProcessEngineException)) throw error;
        return { ok: false, error };
      }
    });
    const cascaded = await this.write(sql, applied);
    return { outcomes, effects: [...applied.flatMap(({ result }) => result.effects), ...cascaded] };
  }

  /** The definition's model, if instances may start from it. */
  private async startableModel(definition: ProcessDefinitionRecord): Promise<ProcessModel> {
    if (definition.suspended) {
      throw new ProcessEngineException(
        `Cannot start process instance. Process definition ${definition.name ?? definition.key} (id = ${definition.id}) is suspended`,
      );
    }
    return this.models.get(definition.id);
  }

  private instantiate(
    model: ProcessModel,
    definition: ProcessDefinitionRecord,
    command: StartCommand,
    ctx: EngineContext,
  ): EngineResult {
    return startInstance(
      model,
      {
        definitionId: definition.id,
        tenantId: command.tenantId ?? definition.tenantId,
        businessKey: command.businessKey,
        variables: command.variables,
        initiatorId: command.initiatorId ?? null,
        startEventId: command.startEventId,
        startInstructions: command.startInstructions,
        skipCustomListeners: command.skipCustomListeners,
        skipIoMappings: command.skipIoMappings,
      },
      ctx,
    );
  }

  /** Runs `operation` on one instance; NotFoundException when it is not running. */
  async update(instanceId: string, operation: InstanceOperation): Promise<EngineResult> {
    const [result] = await this.updateMany([instanceId], operation, { requireAll: true });
    return result!;
  }

  /**
   * Runs `operation` on each of `instanceIds` (all in one transaction: all or nothing) and returns
   * the results in the order of the ids. With `requireAll`, a missing instance is an error
   * (`notFound`'s, or a NotFoundException). `alongside` writes more rows (e.g. the operation log) in
   * the same transaction, after the instances.
   */
  async updateMany(
    instanceIds: readonly string[],
    operation: InstanceOperation,
    options: UpdateManyOptions = {},
  ): Promise<EngineResult[]> {
    return this.retrying(async () => {
      let outcome: AppliedOperation[] = [];
      let cascaded: EngineEffect[] = [];
      await transaction(this.dataSource, async (sql) => {
        const loaded = await this.store.load(sql, instanceIds, { lock: true });
        const missing = instanceIds.find((id) => !loaded.has(id));
        if (missing !== undefined && options.requireAll) {
          throw options.notFound?.(missing) ?? processInstanceNotFound(missing);
        }
        const ctx = this.context();
        outcome = [];
        for (const id of new Set(instanceIds)) {
          const before = loaded.get(id);
          if (!before) continue;
          const model = await this.models.get(before.state.definitionId);
          const result = operation(model, before.state, ctx);
          outcome.push({ change: { before, after: result.state }, model, result });
        }
        cascaded = await this.write(sql, outcome);
        await options.alongside?.(sql);
      });
      await this.dispatchJobs([...outcome.flatMap(({ result }) => result.effects), ...cascaded]);
      return outcome.map(({ result }) => result);
    });
  }

  /**
   * Applies `operation` to each of `instanceIds` inside the caller's transaction (rows locked, so
   * concurrent writers wait instead of conflicting) and writes the successful results there. A
   * ProcessEngineException of one instance is that instance's outcome, not the caller's failure; any
   * other error propagates (and the caller's transaction rolls back). Returns each instance's outcome
   * and the effects to act on once the transaction has committed.
   */
  async applyEach(
    sql: Sql,
    instanceIds: readonly string[],
    operation: InstanceOperation,
  ): Promise<{ outcomes: Map<string, InstanceOutcome>; effects: EngineEffect[] }> {
    const loaded = await this.store.load(sql, instanceIds, { lock: true });
    const ctx = this.context();
    const outcomes = new Map<string, InstanceOutcome>();
    const applied: AppliedOperation[] = [];
    for (const id of instanceIds) {
      const before = loaded.get(id);
      if (!before) {
        outcomes.set(id, {
          ok: false,
          error: processInstanceNotFound(id),
        });
        continue;
      }
      try {
        const model = await this.models.get(before.state.definitionId);
        const result = operation(model, before.state, ctx);
        applied.push({ change: { before, after: result.state }, model, result });
        outcomes.set(id, { ok: true });
      } catch (error) {
        if (!(error instanceof ProcessEngineException)) throw error;
        outcomes.set(id, { ok: false, error });
      }
    }
    const cascaded = await this.write(sql, applied);
    return { outcomes, effects: [...applied.flatMap(({ result }) => result.effects), ...cascaded] };
  }

  /** Acts on the effects of committed operations (timer scheduling, async continuations). */
  async afterCommit(effects: readonly EngineEffect[]): Promise<void> {
    await this.dispatchJobs(effects);
  }

  /** Runs `operation` on the instance that owns a task, external task, subscription or job. */
  async updateOwnerOf(
    kind: RecordKind,
    recordId: string,
    operation: InstanceOperation,
    notFound: () => Error,
  ): Promise<EngineResult> {
    const instanceId = await this.instances.instanceIdOf(sqlOf(this.dataSource), kind, recordId);
    if (instanceId === undefined) throw notFound();
    try {
      return await this.update(instanceId, operation);
    } catch (error) {
      // The instance ended between the lookup and the update: the record is gone with it.
      if (error instanceof NotFoundException && error.entity === 'processInstance') throw notFound();
      throw error;
    }
  }

  queryInstances(
    query: ProcessInstanceQuery,
    page?: Page,
    sorting?: Sorting<ProcessInstanceSortKey>[],
  ): Promise<ProcessInstanceRecord[]> {
    return this.instances.query(sqlOf(this.dataSource), query, page, sorting);
  }

  countInstances(query: ProcessInstanceQuery): Promise<number> {
    return this.instances.count(sqlOf(this.dataSource), query);
  }

  /** The executions of running instances (`GET /execution`). */
  queryExecutions(
    query: ExecutionQuery,
    page?: Page,
    sorting?: Sorting<ExecutionSortKey>[],
  ): Promise<ExecutionRecord[]> {
    return this.executions.query(sqlOf(this.dataSource), query, page, sorting);
  }

  countExecutions(query: ExecutionQuery): Promise<number> {
    return this.executions.count(sqlOf(this.dataSource), query);
  }

  /** The state of one running instance, or undefined. */
  async load(instanceId: string): Promise<ProcessInstanceState | undefined> {
    return (await this.store.load(sqlOf(this.dataSource), [instanceId])).get(instanceId)?.state;
  }

  model(definitionId: string): Promise<ProcessModel> {
    return this.models.get(definitionId);
  }

  private async persist(outcome: AppliedOperation[], alongside?: (sql: Sql) => Promise<void>): Promise<void> {
    const cascaded = await this.retrying(() =>
      transaction(this.dataSource, async (sql) => {
        await alongside?.(sql);
        return this.write(sql, outcome);
      }),
    );
    await this.dispatchJobs([...outcome.flatMap(({ result }) => result.effects), ...cascaded]);
  }

  /**
   * Writes the outcome, then what it causes on instances linked by call activities (started, deleted
   * or continued instances, see {@link CallActivityCascade}), round by round in the same transaction.
   * Returns the effects of those further operations.
   */
  private async write(sql: Sql, outcome: readonly AppliedOperation[]): Promise<EngineEffect[]> {
    const cascaded: EngineEffect[] = [];
    const deletedFromAbove = new Set<string>();
    const thrown: ThrownSignal[] = [];
    for (let round = 0, next = outcome; next.length > 0; round++) {
      if (round > MAX_CALL_DEPTH) {
        throw new ProcessEngineException(
          `Call activities or signals nest deeper than ${MAX_CALL_DEPTH} levels (does a process call or signal itself?)`,
        );
      }
      await this.writeOnce(sql, next);
      if (round > 0) cascaded.push(...next.flatMap(({ result }) => result.effects));
      thrown.push(...synchronousSignals(next));
      next = await this.cascade.follow(sql, next, this.context(), deletedFromAbove);
      // Signals travel once the call hierarchy is settled, so no instance is changed twice in a round.
      if (next.length === 0 && thrown.length > 0) {
        next = await this.signals.deliverAll(sql, thrown.splice(0).map(broadcastOf), this.context());
      }
    }
    return cascaded;
  }

  private async writeOnce(sql: Sql, outcome: readonly AppliedOperation[]): Promise<void> {
    await this.store.save(
      sql,
      outcome.map(({ change, result }) => ({ ...change, effects: result.effects })),
    );
    await this.jobLog.record(
      sql,
      outcome.map(({ change, model, result }) => ({
        model,
        before: change.before?.state ?? null,
        after: result.state,
        effects: result.effects,
      })),
      this.clock(),
    );
    const entries: HistoryEntry[] = [];
    for (const { change, model, result } of outcome) {
      // A migration leaves the instance on another definition: history describes it by that one.
      const moved = change.before !== null && change.before.state.definitionId !== result.state.definitionId;
      entries.push({
        model: moved ? await this.models.get(result.state.definitionId) : model,
        state: result.state,
        effects: result.effects,
      });
    }
    await this.history.record(sql, entries);
  }

  /**
   * Re-runs after an optimistic-locking conflict or a transient database error. The back-off is
   * exponential with full jitter (capped at 250 ms), so N writers racing on one instance spread out
   * instead of colliding again in lock step; 10 attempts let a burst of a dozen writers all land.
   */
  private async retrying<T>(work: () => Promise<T>, attempts = 10): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        const retryable = error instanceof OptimisticLockingException || isTransientSqlError(error);
        if (!retryable || attempt >= attempts) throw error;
        this.onRetry({ attempt: attempt + 1, attempts, reason: retryReason(error) });
        const ceiling = Math.min(250, 10 * 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
      }
    }
  }

  /**
   * Schedules and dispatches the jobs that committed operations created, and drops the removed ones;
   * then delivers the asynchronous signals they threw (`camunda:async`), each in transactions of its own.
   */
  private async dispatchJobs(effects: readonly EngineEffect[]): Promise<void> {
    await applyTimerEffects(this.timers, effects);
    await applyAsyncJobEffects(this.asyncJobs, effects);
    for (const effect of effects) {
      if (effect.type === 'signalThrown' && effect.async) await this.broadcastSignal(broadcastOf(effect));
    }
  }

  private context(): EngineContext {
    return { now: this.clock(), newId: randomUUID };
  }
}

/** The signals the operations threw that are delivered in their own transaction. */
function synchronousSignals(applied: readonly AppliedOperation[]): ThrownSignal[] {
  return applied.flatMap(({ result }) =>
    result.effects.filter(
      (effect): effect is ThrownSignal => effect.type === 'signalThrown' && !effect.async,
    ),
  );
}
