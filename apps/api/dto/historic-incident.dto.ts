import { formatDate, type QueryParams } from '@libs/http';
import {
  HISTORIC_INCIDENT_SORT_COLUMNS,
  type HistoricIncidentQuery,
  type HistoricIncidentRecord,
  type HistoricIncidentSortKey,
} from '@libs/persistence';

export const HISTORIC_INCIDENT_SORT_KEYS = Object.keys(
  HISTORIC_INCIDENT_SORT_COLUMNS,
) as HistoricIncidentSortKey[];

/** Camunda's HistoricIncidentDto (7.22): every field present; no removal time (no history cleanup here). */
export function historicIncidentDto(incident: HistoricIncidentRecord) {
  return {
    id: incident.id,
    processDefinitionKey: incident.processDefinitionKey,
    processDefinitionId: incident.processDefinitionId,
    processInstanceId: incident.processInstanceId,
    executionId: incident.executionId,
    // The instance itself, also in a called instance (see the README's call activities: a deviation).
    rootProcessInstanceId: incident.processInstanceId,
    createTime: formatDate(incident.createTime),
    endTime: formatDate(incident.endTime),
    removalTime: null,
    incidentType: incident.incidentType,
    activityId: incident.activityId,
    failedActivityId: incident.failedActivityId,
    causeIncidentId: incident.causeIncidentId,
    rootCauseIncidentId: incident.rootCauseIncidentId,
    configuration: incident.configuration,
    historyConfiguration: incident.historyConfiguration,
    incidentMessage: incident.incidentMessage,
    tenantId: incident.tenantId,
    jobDefinitionId: incident.jobDefinitionId,
    open: incident.state === 'open',
    deleted: incident.state === 'deleted',
    resolved: incident.state === 'resolved',
    annotation: incident.annotation,
  };
}

const STRING_FILTERS = [
  'incidentId',
  'incidentType',
  'incidentMessage',
  'incidentMessageLike',
  'processDefinitionId',
  'processDefinitionKey',
  'processInstanceId',
  'executionId',
  'activityId',
  'failedActivityId',
  'causeIncidentId',
  'rootCauseIncidentId',
  'configuration',
  'historyConfiguration',
] as const;
const LIST_FILTERS = ['processDefinitionKeyIn', 'jobDefinitionIdIn', 'tenantIdIn'] as const;
const FLAG_FILTERS = ['open', 'resolved', 'deleted', 'withoutTenantId'] as const;
const DATE_FILTERS = ['createTimeBefore', 'createTimeAfter', 'endTimeBefore', 'endTimeAfter'] as const;

/** The `GET /history/incident` filters this service supports (others are ignored, as unknown ones are). */
export function readHistoricIncidentQueryParams(params: QueryParams): HistoricIncidentQuery {
  return Object.fromEntries([
    ...STRING_FILTERS.map((name) => [name, params.string(name)]),
    ...LIST_FILTERS.map((name) => [name, params.list(name)]),
    ...FLAG_FILTERS.map((name) => [name, params.boolean(name)]),
    ...DATE_FILTERS.map((name) => [name, params.date(name)]),
  ]) as HistoricIncidentQuery;
}
