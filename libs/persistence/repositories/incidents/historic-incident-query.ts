import { Conditions } from '../../sql';

/** An incident of history (open, resolved or deleted), as Camunda's HistoricIncidentDto describes it. */
export interface HistoricIncidentRecord {
  readonly id: string;
  readonly processDefinitionKey: string | null;
  readonly processDefinitionId: string | null;
  readonly processInstanceId: string | null;
  readonly executionId: string | null;
  readonly createTime: Date;
  readonly endTime: Date | null;
  readonly incidentType: string;
  readonly activityId: string | null;
  readonly failedActivityId: string | null;
  readonly causeIncidentId: string;
  readonly rootCauseIncidentId: string;
  readonly configuration: string | null;
  readonly historyConfiguration: string | null;
  readonly incidentMessage: string | null;
  readonly tenantId: string | null;
  readonly jobDefinitionId: string | null;
  readonly state: IncidentState;
  readonly annotation: string | null;
}

/** Camunda's `IncidentState` codes of `hi_incident.incident_state`. */
export const INCIDENT_STATE = { open: 0, resolved: 1, deleted: 2 } as const;
export type IncidentState = keyof typeof INCIDENT_STATE;

/** A time filter (`…Before`/`…After`, both inclusive as Camunda's). */
type TimeFilter = Date | undefined;

/** The filters of `GET /history/incident` this service supports. */
export interface HistoricIncidentQuery {
  readonly incidentId?: string;
  readonly incidentType?: string;
  readonly incidentMessage?: string;
  readonly incidentMessageLike?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly processDefinitionKeyIn?: readonly string[];
  readonly processInstanceId?: string;
  readonly executionId?: string;
  readonly activityId?: string;
  readonly failedActivityId?: string;
  readonly causeIncidentId?: string;
  readonly rootCauseIncidentId?: string;
  readonly configuration?: string;
  readonly historyConfiguration?: string;
  readonly open?: boolean;
  readonly resolved?: boolean;
  readonly deleted?: boolean;
  readonly jobDefinitionIdIn?: readonly string[];
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly createTimeBefore?: TimeFilter;
  readonly createTimeAfter?: TimeFilter;
  readonly endTimeBefore?: TimeFilter;
  readonly endTimeAfter?: TimeFilter;
}

export const HISTORIC_INCIDENT_SORT_COLUMNS = {
  incidentId: 'id',
  incidentMessage: 'incident_message',
  createTime: 'create_time',
  endTime: 'end_time',
  incidentType: 'incident_type',
  executionId: 'execution_id',
  activityId: 'activity_id',
  processInstanceId: 'process_instance_id',
  processDefinitionId: 'process_definition_id',
  processDefinitionKey: 'process_definition_key',
  // A failed job's incident is its own cause and root cause.
  causeIncidentId: 'id',
  rootCauseIncidentId: 'id',
  configuration: 'configuration',
  historyConfiguration: 'history_configuration',
  tenantId: 'tenant_id',
  incidentState: 'incident_state',
} as const;
export type HistoricIncidentSortKey = keyof typeof HISTORIC_INCIDENT_SORT_COLUMNS;

const STATE_NAMES = ['open', 'resolved', 'deleted'] as const;

export function historicIncidentRecord(row: Record<string, unknown>): HistoricIncidentRecord {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  const id = String(row.id);
  return {
    id,
    processDefinitionKey: text(row.process_definition_key),
    processDefinitionId: text(row.process_definition_id),
    processInstanceId: text(row.process_instance_id),
    executionId: text(row.execution_id),
    createTime: row.create_time as Date,
    endTime: (row.end_time as Date | null) ?? null,
    incidentType: String(row.incident_type),
    activityId: text(row.activity_id),
    failedActivityId: text(row.activity_id),
    causeIncidentId: id,
    rootCauseIncidentId: id,
    configuration: text(row.configuration),
    historyConfiguration: text(row.history_configuration),
    incidentMessage: text(row.incident_message),
    tenantId: text(row.tenant_id),
    jobDefinitionId: text(row.job_definition_id),
    state: STATE_NAMES[Number(row.incident_state)] ?? 'open',
    annotation: text(row.annotation),
  };
}

export function historicIncidentConditions(query: HistoricIncidentQuery): Conditions {
  const where = new Conditions()
    .when(query.incidentId, 'id = ?')
    .when(query.incidentType, 'incident_type = ?')
    .when(query.incidentMessage, 'incident_message = ?')
    .when(query.incidentMessageLike, 'incident_message LIKE ?')
    .when(query.processDefinitionId, 'process_definition_id = ?')
    .when(query.processDefinitionKey, 'process_definition_key = ?')
    .whenIn(query.processDefinitionKeyIn, 'process_definition_key')
    .when(query.processInstanceId, 'process_instance_id = ?')
    .when(query.executionId, 'execution_id = ?')
    .when(query.activityId, 'activity_id = ?')
    .when(query.failedActivityId, 'activity_id = ?')
    .when(query.causeIncidentId, 'id = ?')
    .when(query.rootCauseIncidentId, 'id = ?')
    .when(query.configuration, 'configuration = ?')
    .when(query.historyConfiguration, 'history_configuration = ?')
    .whenIn(query.jobDefinitionIdIn, 'job_definition_id')
    .whenIn(query.tenantIdIn, 'tenant_id')
    .when(query.createTimeBefore, 'create_time <= ?')
    .when(query.createTimeAfter, 'create_time >= ?')
    .when(query.endTimeBefore, 'end_time <= ?')
    .when(query.endTimeAfter, 'end_time >= ?');
  if (query.withoutTenantId === true) where.add('tenant_id IS NULL');
  // Each flag sets the one state Camunda's query filters by: of several, the last applied wins.
  const state = STATE_NAMES.filter((name) => query[name] === true).pop();
  return state === undefined ? where : where.add('incident_state = ?', INCIDENT_STATE[state]);
}
