import type { DataSource } from 'typeorm';
import {
  sqlOf,
  UserOperationLogRepository,
  type Page,
  type PropertyChange,
  type Sorting,
  type Sql,
  type UserOperation,
  type UserOperationLogQuery,
  type UserOperationLogRecord,
  type UserOperationLogSortKey,
} from '@libs/persistence';

/** Camunda's names for the operations this service logs. */
export const OPERATION_TYPES = {
  migrate: 'Migrate',
  modify: 'ModifyProcessInstance',
  setAnnotation: 'SetAnnotation',
  clearAnnotation: 'ClearAnnotation',
  deleteHistory: 'DeleteHistory',
  setVariables: 'SetVariables',
  correlateMessage: 'CorrelateMessage',
  restart: 'RestartProcessInstance',
  setExternalTaskRetries: 'SetExternalTaskRetries',
} as const;

/** A property change from a value (numbers and booleans as Camunda prints them). */
export function change(
  property: string,
  newValue: string | number | boolean | null,
  orgValue: string | null = null,
): PropertyChange {
  return { property, orgValue, newValue: newValue === null ? null : String(newValue) };
}

/** Camunda's `PropertyChange.EMPTY_CHANGE`: an operation logged without any property. */
export const NO_CHANGE: PropertyChange = { property: null, orgValue: null, newValue: null };

/**
 * The user operation log (Camunda's `UserOperationLogEntry`): written by the operations themselves,
 * inside their transaction (`write`), and read by `GET /history/user-operation`.
 */
export class OperationLogService {
  private readonly repository = new UserOperationLogRepository();

  constructor(private readonly dataSource: DataSource) {}

  /** Logs operations inside the caller's transaction. */
  write(sql: Sql, operations: readonly UserOperation[]): Promise<void> {
    return this.repository.write(sql, operations);
  }

  query(
    query: UserOperationLogQuery,
    page?: Page,
    sorting?: Sorting<UserOperationLogSortKey>[],
  ): Promise<UserOperationLogRecord[]> {
    return this.repository.query(sqlOf(this.dataSource), query, page, sorting);
  }

  count(query: UserOperationLogQuery): Promise<number> {
    return this.repository.count(sqlOf(this.dataSource), query);
  }
}
