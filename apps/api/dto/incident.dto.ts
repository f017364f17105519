import { z } from 'zod';
import { formatDate, type QueryParams } from '@libs/http';
import { camundaDate } from '../openapi/schemas';
import type { IncidentQuery, IncidentRecord } from '@libs/persistence';

const text = z.string().nullable();

/** Camunda's `IncidentDto` (7.22). */
export const incidentDtoSchema = z
  .object({
    id: z.string(),
    processDefinitionId: text,
    processInstanceId: text,
    executionId: text,
    incidentTimestamp: camundaDate,
    incidentType: z.string(),
    activityId: text,
    failedActivityId: text,
    causeIncidentId: text,
    rootCauseIncidentId: text,
    configuration: text,
    tenantId: z.null(),
    incidentMessage: text,
    jobDefinitionId: text,
    annotation: text,
  })
  .meta({ id: 'IncidentDto' });

/** Camunda's IncidentDto (7.22): every field present, `null` where this engine has no value. */
export function incidentDto(incident: IncidentRecord): z.infer<typeof incidentDtoSchema> {
  return {
    id: incident.id,
    processDefinitionId: incident.processDefinitionId,
    processInstanceId: incident.processInstanceId,
    executionId: incident.executionId,
    incidentTimestamp: formatDate(incident.incidentTimestamp),
    incidentType: incident.incidentType,
    activityId: incident.activityId,
    failedActivityId: incident.failedActivityId,
    causeIncidentId: incident.causeIncidentId,
    rootCauseIncidentId: incident.rootCauseIncidentId,
    configuration: incident.configuration,
    tenantId: null,
    incidentMessage: incident.incidentMessage,
    jobDefinitionId: incident.jobDefinitionId,
    annotation: incident.annotation,
  };
}

/** The `GET /incident` filters this service supports (others are ignored, as unknown parameters are). */
export function readIncidentQueryParams(params: QueryParams): IncidentQuery {
  return {
    incidentId: params.string('incidentId'),
    incidentType: params.string('incidentType'),
    processInstanceId: params.string('processInstanceId'),
    processDefinitionId: params.string('processDefinitionId'),
    executionId: params.string('executionId'),
    activityId: params.string('activityId'),
    configuration: params.string('configuration'),
    jobDefinitionIdIn: params.list('jobDefinitionIdIn'),
  };
}
