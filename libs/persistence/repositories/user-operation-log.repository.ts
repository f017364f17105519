import { randomUUID } from 'node:crypto';
import { Conditions, insertRows, orderAndPage, type Page, type Sorting, type Sql } from '../sql';

/** One changed property of a logged operation; `property: null` for an operation without properties. */
export interface PropertyChange {
  readonly property: string | null;
  readonly orgValue: string | null;
  readonly newValue: string | null;
}

/** An operation to log: what, by whom, on which instance/definition/batch, and its property changes. */
export interface UserOperation {
  readonly operationType: string;
  readonly entityType: string;
  readonly category: string;
  readonly userId: string | null;
  readonly timestamp: Date;
  readonly processDefinitionId?: string | null;
  readonly processDefinitionKey?: string | null;
  readonly processInstanceId?: string | null;
  readonly deploymentId?: string | null;
  readonly batchId?: string | null;
  readonly tenantId?: string | null;
  readonly annotation?: string | null;
  /** At least one; `[{property: null, …}]` when the operation changes no named property. */
  readonly changes: readonly PropertyChange[];
}

/** One stored row: an operation's property change. */
export interface UserOperationLogRecord extends PropertyChange {
  readonly id: string;
  readonly operationId: string;
  readonly operationType: string;
  readonly entityType: string;
  readonly category: string | null;
  readonly userId: string | null;
  readonly timestamp: Date;
  readonly deploymentId: string | null;
  readonly processDefinitionId: string | null;
  readonly processDefinitionKey: string | null;
  readonly processInstanceId: string | null;
  readonly batchId: string | null;
  readonly tenantId: string | null;
  readonly annotation: string | null;
}

export interface UserOperationLogQuery {
  readonly processInstanceId?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly operationType?: string;
  readonly entityType?: string;
  readonly userId?: string;
  /** Inclusive bounds on the timestamp. */
  readonly afterTimestamp?: Date;
  readonly beforeTimestamp?: Date;
}

export type UserOperationLogSortKey = 'timestamp';

const SORT_COLUMNS: Record<UserOperationLogSortKey, string> = { timestamp: 'timestamp' };

const COLUMNS = [
  'id',
  'operation_id',
  'operation_type',
  'entity_type',
  'category',
  'user_id',
  'timestamp',
  'sequence_counter',
  'deployment_id',
  'process_definition_id',
  'process_definition_key',
  'process_instance_id',
  'batch_id',
  'tenant_id',
  'property',
  'org_value',
  'new_value',
  'annotation',
];

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

const toRecord = (row: Record<string, unknown>): UserOperationLogRecord => ({
  id: String(row.id),
  operationId: String(row.operation_id),
  operationType: String(row.operation_type),
  entityType: String(row.entity_type),
  category: text(row.category),
  userId: text(row.user_id),
  timestamp: row.timestamp as Date,
  deploymentId: text(row.deployment_id),
  processDefinitionId: text(row.process_definition_id),
  processDefinitionKey: text(row.process_definition_key),
  processInstanceId: text(row.process_instance_id),
  batchId: text(row.batch_id),
  tenantId: text(row.tenant_id),
  property: text(row.property),
  orgValue: text(row.org_value),
  newValue: text(row.new_value),
  annotation: text(row.annotation),
});

/**
 * The user operation log (Camunda's `ACT_HI_OP_LOG`): written inside the caller's transaction, one
 * multi-row insert per call; read with Camunda's filters.
 */
export class UserOperationLogRepository {
  /** Writes each operation as one row per property change, sharing a fresh operation id. */
  async write(sql: Sql, operations: readonly UserOperation[]): Promise<void> {
    const rows = operations.flatMap((operation) => {
      const operationId = randomUUID();
      return operation.changes.map((change, position) => [
        randomUUID(),
        operationId,
        operation.operationType,
        operation.entityType,
        operation.category,
        operation.userId,
        operation.timestamp,
        position,
        operation.deploymentId ?? null,
        operation.processDefinitionId ?? null,
        operation.processDefinitionKey ?? null,
        operation.processInstanceId ?? null,
        operation.batchId ?? null,
        operation.tenantId ?? null,
        change.property,
        change.orgValue,
        change.newValue,
        operation.annotation ?? null,
      ]);
    });
    await insertRows(sql, 'hi_user_operation_log', COLUMNS, rows);
  }

  async query(
    sql: Sql,
    query: UserOperationLogQuery,
    page?: Page,
    sorting: Sorting<UserOperationLogSortKey>[] = [],
  ): Promise<UserOperationLogRecord[]> {
    const where = conditions(query);
    const order = orderAndPage(sorting, SORT_COLUMNS, 'operation_id ASC, sequence_counter ASC, id ASC', page);
    const rows = await sql.select(`SELECT * FROM hi_user_operation_log${where}${order}`, where.params);
    return rows.map(toRecord);
  }

  async count(sql: Sql, query: UserOperationLogQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM hi_user_operation_log${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }
}

function conditions(query: UserOperationLogQuery): Conditions {
  return new Conditions()
    .when(query.processInstanceId, 'process_instance_id = ?')
    .when(query.processDefinitionId, 'process_definition_id = ?')
    .when(query.processDefinitionKey, 'process_definition_key = ?')
    .when(query.operationType, 'operation_type = ?')
    .when(query.entityType, 'entity_type = ?')
    .when(query.userId, 'user_id = ?')
    .when(query.afterTimestamp, 'timestamp >= ?')
    .when(query.beforeTimestamp, 'timestamp <= ?');
}
