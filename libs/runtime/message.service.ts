import type { DataSource } from 'typeorm';
import {
  correlateMessage,
  MismatchingMessageCorrelationException,
  type EngineResult,
  type ProcessInstanceState,
  type TypedValue,
  type VariableMap,
} from '@libs/engine';
import {
  EventSubscriptionRepository,
  ProcessDefinitionRepository,
  sqlOf,
  StartEventRepository,
  type EventSubscriptionQuery,
  type EventSubscriptionRecord,
  type EventSubscriptionSortKey,
  type MessageCandidate,
  type MessageCorrelationCriteria,
  type Page,
  type Sorting,
} from '@libs/persistence';
import type { RuntimeService } from './runtime.service';

/** A message to deliver: whom it is for, what it carries, and whether it may reach many executions. */
export interface CorrelateMessageCommand extends MessageCorrelationCriteria {
  /** Deliver to every matching execution; otherwise exactly one must match. */
  readonly all: boolean;
  /** Only message start events may match (`startMessagesOnly`). */
  readonly startMessagesOnly?: boolean;
  /** Set with propagation from the waiting activity before it continues. */
  readonly processVariables?: VariableMap;
  /** Set locally on the scope the waiting activity runs in. */
  readonly processVariablesLocal?: VariableMap;
}

/** One execution a message was delivered to. */
export interface CorrelatedExecution {
  readonly resultType: 'Execution';
  readonly subscriptionId: string;
  readonly executionId: string;
  readonly processInstanceId: string;
  readonly tenantId: string | null;
  /** The instance after the delivery (an ended instance keeps its process variables). */
  readonly instance: ProcessInstanceState;
}

/** An instance a message started through a message start event of the latest definition. */
export interface CorrelatedStart {
  readonly resultType: 'ProcessDefinition';
  /** The new instance right after its start (it may have ended already). */
  readonly instance: ProcessInstanceState;
}

/** What a message reached: a waiting execution, or a message start event. */
export type CorrelationOutcome = CorrelatedExecution | CorrelatedStart;

/**
 * Message correlation (Camunda's `createMessageCorrelation`) and event-subscription queries. Matching
 * subscriptions are found with one SQL query; each is then triggered through the engine by its id, all
 * in one transaction: either every matched execution receives the message or none does.
 */
export class MessageService {
  private readonly subscriptions = new EventSubscriptionRepository();
  private readonly startEvents = new StartEventRepository();
  private readonly definitions = new ProcessDefinitionRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly runtime: RuntimeService,
  ) {}

  /**
   * Delivers a message (Camunda's `DefaultCorrelationHandler`): to the waiting executions that match;
   * when none does (or with `all`, besides them), through the message start event of the latest,
   * active definitions with one of that name (whatever the business key and correlation keys, which
   * only select executions; the business key becomes the new instance's, the process variables and
   * local process variables its variables).
   * @throws MismatchingMessageCorrelationException when nothing matches (suspended instances never
   * do), or, without `all`, more than one execution or more than one definition matches.
   */
  async correlate(command: CorrelateMessageCommand): Promise<CorrelationOutcome[]> {
    const candidates = command.startMessagesOnly
      ? []
      : await this.subscriptions.messageCandidates(sqlOf(this.dataSource), command);
    if (!command.all && candidates.length > 1) throw ambiguous(command, candidates.length);
    const delivered = candidates.length === 0 ? [] : await this.deliver(command, candidates);
    if (delivered.length > 0 && !command.all) return delivered;
    const started = await this.startThroughMessage(command);
    if (delivered.length + started.length === 0) {
      throw command.startMessagesOnly
        ? new MismatchingMessageCorrelationException(
            `Cannot correlate message '${command.messageName}': No process definition matches the parameters`,
          )
        : noMatch(command.messageName);
    }
    return [...delivered, ...started];
  }

  /** Starts the latest definitions with a message start event of the message's name (one unless `all`). */
  private async startThroughMessage(command: CorrelateMessageCommand): Promise<CorrelatedStart[]> {
    const sql = sqlOf(this.dataSource);
    const scope = { tenantId: command.withoutTenantId ? null : command.tenantId };
    const targets = await this.startEvents.latest(sql, 'message', command.messageName, scope);
    if (!command.all && targets.length > 1) throw ambiguous(command, targets.length, 'definitions');
    const started: CorrelatedStart[] = [];
    for (const target of targets) {
      const definition = await this.definitions.find(sql, target.definitionId);
      if (definition === undefined) continue;
      const [instance] = await this.runtime.start(definition, [
        {
          businessKey: command.businessKey ?? null,
          variables: { ...command.processVariables, ...command.processVariablesLocal },
          startEventId: target.activityId,
        },
      ]);
      started.push({ resultType: 'ProcessDefinition', instance: instance! });
    }
    return started;
  }

  /** Delivers to the candidate executions in one transaction. */
  private async deliver(
    command: CorrelateMessageCommand,
    candidates: readonly MessageCandidate[],
  ): Promise<CorrelatedExecution[]> {
    const byInstance = new Map<string, MessageCandidate[]>();
    for (const candidate of candidates) {
      byInstance.set(candidate.processInstanceId, [
        ...(byInstance.get(candidate.processInstanceId) ?? []),
        candidate,
      ]);
    }
    // Filled anew on every attempt (the runtime re-runs the operation after a conflict).
    const delivered = new Map<string, MessageCandidate[]>();
    const results = await this.runtime.updateMany([...byInstance.keys()], (model, state, ctx) => {
      let current: EngineResult = { state, effects: [] };
      const reached: MessageCandidate[] = [];
      for (const candidate of byInstance.get(state.id) ?? []) {
        // Consumed or suspended since the candidates were read: not a match any more.
        const waiting = current.state.eventSubscriptions.some((s) => s.id === candidate.subscriptionId);
        if (!waiting || current.state.suspended || current.state.state !== 'ACTIVE') continue;
        const next = correlateMessage(
          model,
          current.state,
          {
            subscriptionId: candidate.subscriptionId,
            variables: command.processVariables,
            localVariables: command.processVariablesLocal,
          },
          ctx,
        );
        current = { state: next.state, effects: [...current.effects, ...next.effects] };
        reached.push(candidate);
      }
      // A single delivery that lost its target must not commit anything.
      if (!command.all && reached.length === 0) throw noMatch(command.messageName);
      delivered.set(state.id, reached);
      return current;
    });

    const correlated = results.flatMap((result) =>
      (delivered.get(result.state.id) ?? []).map((candidate) => ({
        resultType: 'Execution' as const,
        subscriptionId: candidate.subscriptionId,
        executionId: candidate.executionId,
        processInstanceId: candidate.processInstanceId,
        tenantId: candidate.tenantId,
        instance: result.state,
      })),
    );
    if (correlated.length === 0 && !command.all) throw noMatch(command.messageName);
    return correlated;
  }

  querySubscriptions(
    query: EventSubscriptionQuery,
    page?: Page,
    sorting?: Sorting<EventSubscriptionSortKey>[],
  ): Promise<EventSubscriptionRecord[]> {
    return this.subscriptions.query(sqlOf(this.dataSource), query, page, sorting);
  }

  countSubscriptions(query: EventSubscriptionQuery): Promise<number> {
    return this.subscriptions.count(sqlOf(this.dataSource), query);
  }
}

function noMatch(messageName: string): MismatchingMessageCorrelationException {
  return new MismatchingMessageCorrelationException(
    `Cannot correlate message '${messageName}': No process definition or execution matches the parameters`,
  );
}

/**
 * Camunda's ENGINE-13031 (executions) and ENGINE-13030 (definitions), with its `CorrelationSet [...]`
 * description of the criteria.
 */
function ambiguous(
  command: CorrelateMessageCommand,
  count: number,
  what: 'executions' | 'definitions' = 'executions',
): MismatchingMessageCorrelationException {
  const map = (values: Readonly<Record<string, TypedValue>> | undefined) =>
    values === undefined || Object.keys(values).length === 0
      ? 'null'
      : `{${Object.entries(values)
          .map(([name, value]) => `${name}=${describe(value)}`)
          .join(', ')}}`;
  const tenantSet = command.tenantId !== undefined || command.withoutTenantId === true;
  const set =
    `CorrelationSet [businessKey=${command.businessKey ?? 'null'}, ` +
    `processInstanceId=${command.processInstanceId ?? 'null'}, processDefinitionId=null, ` +
    `correlationKeys=${map(command.correlationKeys)}, localCorrelationKeys=${map(command.localCorrelationKeys)}, ` +
    `tenantId=${command.tenantId ?? 'null'}, isTenantIdSet=${tenantSet}, isExecutionsOnly=false]`;
  return new MismatchingMessageCorrelationException(
    what === 'executions'
      ? `ENGINE-13031 Cannot correlate a message with name '${command.messageName}' to a single execution. ${count} executions match the correlation keys: ${set}`
      : `ENGINE-13030 Cannot correlate a message with name '${command.messageName}' to a single process definition. ${count} process definitions match the correlations keys: ${set}`,
  );
}

function describe(value: TypedValue): string {
  if (value.type === 'Date') return value.value.toISOString();
  if (value.type === 'Json') return JSON.stringify(value.value);
  return String(value.value);
}
