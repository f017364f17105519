import { Conditions, orderAndPage, type Page, type Sorting, type Sql } from '../sql';
import { tenantConditions } from './deployment.repository';

/** The filters of `GET /execution` (Camunda's ExecutionQueryDto) this service honours. */
export interface ExecutionQuery {
  readonly executionId?: string;
  readonly processInstanceId?: string;
  readonly businessKey?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly activityId?: string;
  readonly messageEventSubscriptionName?: string;
  readonly signalEventSubscriptionName?: string;
  readonly active?: boolean;
  readonly suspended?: boolean;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
}

export type ExecutionSortKey = 'instanceId' | 'definitionKey' | 'definitionId' | 'tenantId';

const SORT_COLUMNS: Record<ExecutionSortKey, string> = {
  instanceId: 'e.process_instance_id',
  definitionKey: 'p.definition_key',
  definitionId: 'p.definition_id',
  tenantId: 'p.tenant_id',
};

export interface ExecutionRecord {
  readonly id: string;
  readonly processInstanceId: string;
  readonly tenantId: string | null;
}

/**
 * The executions of running instances: each instance's own (its id is the instance's) and one per
 * activity instance below the root (its `execution_id`; a batch-migrated root is implied by the
 * instance row, so the instance's execution comes from `ru_process_instance`).
 */
const EXECUTIONS = `(
    SELECT id, id AS process_instance_id, NULL AS activity_id FROM ru_process_instance
    UNION ALL
    SELECT execution_id, process_instance_id, activity_id FROM ru_activity_instance
     WHERE execution_id <> process_instance_id
  ) e JOIN ru_process_instance p ON p.id = e.process_instance_id`;

function conditions(query: ExecutionQuery): Conditions {
  const subscribed = (type: string) =>
    `EXISTS (SELECT 1 FROM ru_event_subscription s WHERE s.execution_id = e.id AND s.type = '${type}' AND s.event_name = ?)`;
  const where = new Conditions()
    .when(query.executionId, 'e.id = ?')
    .when(query.processInstanceId, 'e.process_instance_id = ?')
    .when(query.businessKey, 'p.business_key = ?')
    .when(query.processDefinitionId, 'p.definition_id = ?')
    .when(query.processDefinitionKey, 'p.definition_key = ?')
    .when(query.activityId, 'e.activity_id = ?')
    .when(query.messageEventSubscriptionName, subscribed('message'))
    .when(query.signalEventSubscriptionName, subscribed('signal'));
  if (query.active === true) where.add('p.suspended = 0');
  if (query.suspended === true) where.add('p.suspended = 1');
  return tenantConditions(where, query.tenantIdIn, query.withoutTenantId, false, 'p.tenant_id');
}

/** Queries over the executions of running instances. */
export class ExecutionRepository {
  async query(
    sql: Sql,
    query: ExecutionQuery,
    page?: Page,
    sorting: Sorting<ExecutionSortKey>[] = [],
  ): Promise<ExecutionRecord[]> {
    const where = conditions(query);
    const rows = await sql.select<{ id: string; process_instance_id: string; tenant_id: string | null }>(
      `SELECT e.id, e.process_instance_id, p.tenant_id FROM ${EXECUTIONS}${where}${orderAndPage(sorting, SORT_COLUMNS, 'e.id ASC', page)}`,
      where.params,
    );
    return rows.map((row) => ({
      id: row.id,
      processInstanceId: row.process_instance_id,
      tenantId: row.tenant_id,
    }));
  }

  async count(sql: Sql, query: ExecutionQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${EXECUTIONS}${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }
}
