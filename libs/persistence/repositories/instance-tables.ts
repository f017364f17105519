import type {
  ActivityInstance,
  EventScope,
  EventSubscription,
  ExternalTaskRecord,
  Task,
  JsonValue,
  TypedValue,
  VariableRecord,
} from '@libs/engine';
import { timerRows } from './jobs/timer-rows';
import { asyncJobRows } from './jobs/async-job-rows';
import { date, maybeDate, text, type RecordTable } from './record-table';

export type { RecordTable } from './record-table';
export { timerRows, asyncJobRows };

export const activityInstances: RecordTable<ActivityInstance> = {
  table: 'ru_activity_instance',
  columns: [
    'parent_id',
    'activity_id',
    'activity_type',
    'execution_id',
    'start_time',
    'compensation_throw_id',
  ],
  toRow: (r) => [
    r.parentId,
    r.activityId,
    r.activityType,
    r.executionId,
    r.startTime,
    r.compensationThrowId ?? null,
  ],
  fromRow: (row) => ({
    id: String(row.id),
    parentId: text(row.parent_id),
    activityId: String(row.activity_id),
    activityType: row.activity_type as ActivityInstance['activityType'],
    executionId: String(row.execution_id),
    startTime: date(row.start_time),
    ...(row.compensation_throw_id === null || row.compensation_throw_id === undefined
      ? {}
      : { compensationThrowId: String(row.compensation_throw_id) }),
  }),
  // The root is not stored: it is implied by the instance row (see `rootActivityInstance`).
  of: (state) => state.activityInstances.filter((instance) => instance.parentId !== null),
};

/**
 * The root activity instance of a running instance, derived from its row: same id and execution, the
 * definition as activity, the instance's start time. Not storing it keeps a migration from rewriting a
 * row per instance for the definition id alone.
 */
export function rootActivityInstance(instance: {
  readonly id: string;
  readonly definitionId: string;
  readonly startTime: Date;
}): ActivityInstance {
  return {
    id: instance.id,
    parentId: null,
    activityId: instance.definitionId,
    activityType: 'processDefinition',
    executionId: instance.id,
    startTime: instance.startTime,
  };
}

export const tasks: RecordTable<Task> = {
  table: 'ru_task',
  columns: [
    'activity_instance_id',
    'execution_id',
    'task_definition_key',
    'name',
    'assignee',
    'owner',
    'candidate_groups',
    'candidate_users',
    'due',
    'follow_up',
    'priority',
    'created',
    'last_updated',
  ],
  toRow: (r) => [
    r.activityInstanceId,
    r.executionId,
    r.taskDefinitionKey,
    r.name,
    r.assignee,
    r.owner,
    JSON.stringify(r.candidateGroups),
    JSON.stringify(r.candidateUsers),
    r.due,
    r.followUp,
    r.priority,
    r.created,
    r.lastUpdated ?? null,
  ],
  fromRow: (row) => ({
    id: String(row.id),
    activityInstanceId: String(row.activity_instance_id),
    executionId: String(row.execution_id),
    taskDefinitionKey: String(row.task_definition_key),
    name: text(row.name),
    assignee: text(row.assignee),
    owner: text(row.owner),
    candidateGroups: JSON.parse(String(row.candidate_groups)) as string[],
    candidateUsers: JSON.parse(String(row.candidate_users)) as string[],
    due: maybeDate(row.due),
    followUp: maybeDate(row.follow_up),
    priority: Number(row.priority),
    created: date(row.created),
    lastUpdated: maybeDate(row.last_updated),
  }),
  of: (state) => state.tasks,
};

export const externalTasks: RecordTable<ExternalTaskRecord> = {
  table: 'ru_external_task',
  columns: [
    'activity_instance_id',
    'execution_id',
    'activity_id',
    'topic_name',
    'priority',
    'worker_id',
    'lock_expiration_time',
    'retries',
    'error_message',
    'created',
  ],
  toRow: (r) => [
    r.activityInstanceId,
    r.executionId,
    r.activityId,
    r.topicName,
    r.priority,
    r.workerId,
    r.lockExpirationTime,
    r.retries,
    r.errorMessage,
    r.created,
  ],
  fromRow: (row) => ({
    id: String(row.id),
    activityInstanceId: String(row.activity_instance_id),
    executionId: String(row.execution_id),
    activityId: String(row.activity_id),
    topicName: String(row.topic_name),
    priority: Number(row.priority),
    workerId: text(row.worker_id),
    lockExpirationTime: maybeDate(row.lock_expiration_time),
    retries: row.retries === null ? null : Number(row.retries),
    errorMessage: text(row.error_message),
    created: date(row.created),
  }),
  of: (state) => state.externalTasks,
};

export const eventSubscriptions: RecordTable<EventSubscription> = {
  table: 'ru_event_subscription',
  // Creation order: compensation's "newest first" among subscriptions created in one millisecond.
  orderBy: 'seq',
  columns: [
    'type',
    'event_name',
    'activity_id',
    'activity_instance_id',
    'execution_id',
    'created',
    'configuration',
  ],
  toRow: (r) => [
    r.type,
    r.eventName,
    r.activityId,
    r.activityInstanceId,
    r.executionId,
    r.created,
    r.configuration ?? null,
  ],
  fromRow: (row) => ({
    id: String(row.id),
    type: row.type as EventSubscription['type'],
    eventName: text(row.event_name),
    ...(row.configuration === null || row.configuration === undefined
      ? {}
      : { configuration: String(row.configuration) }),
    activityId: String(row.activity_id),
    activityInstanceId: String(row.activity_instance_id),
    executionId: String(row.execution_id),
    created: date(row.created),
  }),
  of: (state) => state.eventSubscriptions,
};

export const variables: RecordTable<VariableRecord> = {
  table: 'ru_variable',
  columns: ['name', 'scope_id', 'type', 'text_value', 'number_value'],
  toRow: (r) => [r.name, r.scopeId, r.value.type, ...storedValue(r.value)],
  fromRow: (row) => ({
    id: String(row.id),
    name: String(row.name),
    scopeId: String(row.scope_id),
    value: typedValue(String(row.type), row.text_value, row.number_value),
  }),
  of: (state) => state.variables,
};

export const eventScopes: RecordTable<EventScope> = {
  table: 'ru_event_scope',
  columns: ['parent_id', 'activity_id', 'created'],
  toRow: (r) => [r.parentId, r.activityId, r.created],
  fromRow: (row) => ({
    id: String(row.id),
    parentId: String(row.parent_id),
    activityId: String(row.activity_id),
    created: date(row.created),
  }),
  of: (state) => state.eventScopes,
};

/** Every record table, in the order rows are written (parents before children is not required: no FKs). */
export const RECORD_TABLES: ReadonlyArray<RecordTable<{ readonly id: string }>> = [
  activityInstances,
  tasks,
  externalTasks,
  eventSubscriptions,
  timerRows,
  asyncJobRows,
  variables,
  eventScopes,
];

/**
 * A typed value as `[text_value, number_value]`: text for String, Json and Date (ISO), a number for
 * numeric types, Boolean (0/1) and Date (epoch ms), so queries can compare values in SQL.
 */
export function storedValue(value: TypedValue): [string | null, number | null] {
  switch (value.type) {
    case 'String':
      return [value.value, null];
    case 'Integer':
    case 'Long':
    case 'Short':
    case 'Double':
      return [null, value.value];
    case 'Boolean':
      return [null, value.value ? 1 : 0];
    case 'Date':
      return [value.value.toISOString(), value.value.getTime()];
    case 'Json':
      return [JSON.stringify(value.value), null];
    case 'Null':
      return [null, null];
  }
}

/** The typed value of a stored `[type, text_value, number_value]` (the inverse of {@link storedValue}). */
export function typedValue(type: string, textValue: unknown, numberValue: unknown): TypedValue {
  switch (type) {
    case 'String':
      return { type, value: String(textValue ?? '') };
    case 'Integer':
    case 'Long':
    case 'Short':
    case 'Double':
      return { type, value: Number(numberValue) };
    case 'Boolean':
      return { type, value: Number(numberValue) === 1 };
    case 'Date':
      return { type, value: new Date(String(textValue)) };
    case 'Json':
      return { type, value: JSON.parse(String(textValue)) as JsonValue };
    default:
      return { type: 'Null', value: null };
  }
}
