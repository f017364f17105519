import type { TypedValue } from '@libs/engine';
import { Conditions, orderAndPage, type Page, type Sorting, type Sql } from '../sql';
import { tenantConditions } from './deployment.repository';
import { storedValue } from './instance-tables';

/** The filters of `GET /event-subscription` (Camunda's EventSubscriptionQueryDto). */
export interface EventSubscriptionQuery {
  readonly eventSubscriptionId?: string;
  readonly eventName?: string;
  readonly eventType?: string;
  readonly executionId?: string;
  readonly processInstanceId?: string;
  readonly activityId?: string;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly includeEventSubscriptionsWithoutTenantId?: boolean;
}

export type EventSubscriptionSortKey = 'created' | 'tenantId';

const SORT_COLUMNS: Record<EventSubscriptionSortKey, string> = {
  created: 's.created',
  tenantId: 's.tenant_id',
};

/**
 * An event subscription as listed by queries, with the tenant of its process instance (of its
 * definition for a start subscription).
 */
export interface EventSubscriptionRecord {
  readonly id: string;
  readonly eventType: string;
  /** `null` for a `compensate` or a conditional subscription. */
  readonly eventName: string | null;
  /** `null` for the subscription of a process's start event (Camunda's, which no execution owns). */
  readonly executionId: string | null;
  readonly processInstanceId: string | null;
  readonly activityId: string;
  readonly created: Date;
  readonly tenantId: string | null;
}

/**
 * What a message correlation must match, besides the message name. Every given criterion must hold;
 * suspended instances never match (Camunda does not correlate to them).
 */
export interface MessageCorrelationCriteria {
  readonly messageName: string;
  readonly businessKey?: string;
  readonly processInstanceId?: string;
  /** `tenantId` given: only that tenant; `withoutTenantId`: only instances without tenant. */
  readonly tenantId?: string;
  readonly withoutTenantId?: boolean;
  /** Process variables (on the instance's root scope) that must equal these values. */
  readonly correlationKeys?: Readonly<Record<string, TypedValue>>;
  /** Variables local to the waiting activity instance that must equal these values. */
  readonly localCorrelationKeys?: Readonly<Record<string, TypedValue>>;
}

/** A message subscription a correlation may trigger. */
export interface MessageCandidate {
  readonly subscriptionId: string;
  readonly processInstanceId: string;
  readonly executionId: string;
  readonly tenantId: string | null;
}

type Row = {
  id: string;
  type: string;
  event_name: string | null;
  execution_id: string | null;
  process_instance_id: string | null;
  activity_id: string;
  created: Date;
  tenant_id: string | null;
};

const FROM = 'ru_event_subscription s JOIN ru_process_instance p ON p.id = s.process_instance_id';

/**
 * Every listed subscription: those of running instances, and those of the message, signal and
 * conditional start events of the latest version of each key and tenant (as only Camunda's latest
 * version holds start subscriptions; timer start events are jobs).
 */
const LISTED = `(
  SELECT s.id, s.type, s.event_name, s.execution_id, s.process_instance_id, s.activity_id, s.created,
         p.tenant_id
    FROM ${FROM}
  UNION ALL
  SELECT e.id, e.type, e.event_name, NULL, NULL, e.activity_id, e.created, d.tenant_id
    FROM re_start_event e JOIN re_process_definition d ON d.id = e.definition_id
   WHERE e.type IN ('message', 'signal', 'conditional')
     AND d.version = (SELECT MAX(l.version) FROM re_process_definition l
                       WHERE l.def_key = d.def_key AND l.tenant_key = d.tenant_key)
) s`;

/** Exact, case-sensitive text equality (the tables' default collation ignores case). */
const exactly = (column: string) => `${column} = ? AND ${column} = ? COLLATE utf8mb4_bin`;

/** Queries over event subscriptions, and the candidate search of message correlation. */
export class EventSubscriptionRepository {
  async query(
    sql: Sql,
    query: EventSubscriptionQuery,
    page?: Page,
    sorting: Sorting<EventSubscriptionSortKey>[] = [],
  ): Promise<EventSubscriptionRecord[]> {
    const where = conditions(query);
    const rows = await sql.select<Row>(
      `SELECT s.id, s.type, s.event_name, s.execution_id, s.process_instance_id, s.activity_id, s.created,
              s.tenant_id
         FROM ${LISTED}${where}${orderAndPage(sorting, SORT_COLUMNS, 's.id ASC', page)}`,
      where.params,
    );
    return rows.map((row) => ({
      id: row.id,
      eventType: row.type,
      eventName: row.event_name,
      executionId: row.execution_id,
      processInstanceId: row.process_instance_id,
      activityId: row.activity_id,
      created: row.created,
      tenantId: row.tenant_id,
    }));
  }

  async count(sql: Sql, query: EventSubscriptionQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${LISTED}${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }

  /**
   * The message subscriptions of active instances that a correlation matches, oldest first: one query
   * whatever the number of instances, correlation keys compared in SQL.
   */
  async messageCandidates(sql: Sql, criteria: MessageCorrelationCriteria): Promise<MessageCandidate[]> {
    const where = new Conditions()
      .add("s.type = 'message'")
      .add(exactly('s.event_name'), criteria.messageName, criteria.messageName)
      .add('p.suspended = 0');
    if (criteria.businessKey !== undefined) {
      where.add(exactly('p.business_key'), criteria.businessKey, criteria.businessKey);
    }
    where.when(criteria.processInstanceId, 'p.id = ?');
    where.when(criteria.tenantId, 'p.tenant_id = ?');
    if (criteria.withoutTenantId) where.add('p.tenant_id IS NULL');
    for (const [name, value] of Object.entries(criteria.correlationKeys ?? {})) {
      addVariableEquals(where, 'p.id', name, value);
    }
    for (const [name, value] of Object.entries(criteria.localCorrelationKeys ?? {})) {
      addVariableEquals(where, 's.activity_instance_id', name, value);
    }
    const rows = await sql.select<{
      id: string;
      process_instance_id: string;
      execution_id: string;
      tenant_id: string | null;
    }>(
      `SELECT s.id, s.process_instance_id, s.execution_id, p.tenant_id FROM ${FROM}${where}
        ORDER BY s.created ASC, s.id ASC`,
      where.params,
    );
    return rows.map((row) => ({
      subscriptionId: row.id,
      processInstanceId: row.process_instance_id,
      executionId: row.execution_id,
      tenantId: row.tenant_id,
    }));
  }

  /**
   * The ids of the active (not suspended) instances with a signal subscription a signal reaches, in id
   * order: one indexed query per page (`ru_sub_event (type, event_name)`), whatever the number of
   * waiting instances.
   */
  async signalReceivers(sql: Sql, criteria: SignalReceiverCriteria): Promise<string[]> {
    const where = new Conditions()
      .add("s.type = 'signal'")
      .add(exactly('s.event_name'), criteria.signalName, criteria.signalName)
      .add('p.suspended = 0')
      .when(criteria.executionId, 's.execution_id = ?')
      .when(criteria.excludeInstanceId, 's.process_instance_id <> ?')
      .when(criteria.afterInstanceId, 's.process_instance_id > ?');
    if (criteria.tenantId === null) where.add('p.tenant_id IS NULL');
    else if (criteria.tenantId !== undefined) {
      where.add(
        criteria.alsoWithoutTenant ? '(p.tenant_id = ? OR p.tenant_id IS NULL)' : 'p.tenant_id = ?',
        criteria.tenantId,
      );
    }
    const limit = criteria.limit === undefined ? '' : ` LIMIT ${Math.max(1, Math.floor(criteria.limit))}`;
    const rows = await sql.select<{ id: string }>(
      `SELECT DISTINCT s.process_instance_id AS id FROM ${FROM}${where} ORDER BY s.process_instance_id${limit}`,
      where.params,
    );
    return rows.map((row) => row.id);
  }

  /** Whether an execution exists: an activity instance's execution, or a process instance (its root). */
  async executionExists(sql: Sql, executionId: string): Promise<boolean> {
    const rows = await sql.select<{ found: number }>(
      `SELECT 1 AS found FROM ru_activity_instance WHERE execution_id = ?
       UNION ALL SELECT 1 FROM ru_process_instance WHERE id = ? LIMIT 1`,
      [executionId, executionId],
    );
    return rows.length > 0;
  }
}

/** Which signal subscriptions a signal reaches (see {@link EventSubscriptionRepository.signalReceivers}). */
export interface SignalReceiverCriteria {
  readonly signalName: string;
  /** Only subscriptions of this execution. */
  readonly executionId?: string;
  /** `undefined`: every tenant; `null`: instances without tenant; a text: that tenant's instances. */
  readonly tenantId?: string | null;
  /** With a `tenantId`, instances without tenant too (a signal thrown in a tenant's instance). */
  readonly alsoWithoutTenant?: boolean;
  /** Leave this instance out (the thrower, which delivered to itself already). */
  readonly excludeInstanceId?: string;
  /** Keyset paging: instance ids greater than this one, at most `limit` of them. */
  readonly afterInstanceId?: string;
  readonly limit?: number;
}

function conditions(query: EventSubscriptionQuery): Conditions {
  const where = new Conditions()
    .when(query.eventSubscriptionId, 's.id = ?')
    .when(query.eventName, 's.event_name = ?')
    .when(query.eventType, 's.type = ?')
    .when(query.executionId, 's.execution_id = ?')
    .when(query.processInstanceId, 's.process_instance_id = ?')
    .when(query.activityId, 's.activity_id = ?');
  return tenantConditions(
    where,
    query.tenantIdIn,
    query.withoutTenantId,
    query.includeEventSubscriptionsWithoutTenantId,
    's.tenant_id',
  );
}

/**
 * `EXISTS` a variable `name` on exactly the scope `scopeColumn` whose value equals `value`: numbers
 * of any integral or floating type compare numerically (as Camunda's variable queries do), text
 * compares case-sensitively, dates by instant, JSON by its serialised text.
 */
function addVariableEquals(where: Conditions, scopeColumn: string, name: string, value: TypedValue): void {
  const [text, number] = storedValue(value);
  const match = (() => {
    switch (value.type) {
      case 'Null':
        return { clause: "v.type = 'Null'", params: [] };
      case 'String':
      case 'Json':
        return { clause: `v.type = ? AND ${exactly('v.text_value')}`, params: [value.type, text, text] };
      case 'Integer':
      case 'Long':
      case 'Short':
      case 'Double':
        return {
          clause: "v.type IN ('Integer', 'Long', 'Short', 'Double') AND v.number_value = ?",
          params: [number],
        };
      case 'Boolean':
      case 'Date':
        return { clause: 'v.type = ? AND v.number_value = ?', params: [value.type, number] };
    }
  })();
  where.add(
    `EXISTS (SELECT 1 FROM ru_variable v WHERE v.scope_id = ${scopeColumn} AND ${exactly('v.name')} AND ${match.clause})`,
    name,
    name,
    ...match.params,
  );
}
