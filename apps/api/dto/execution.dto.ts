import { z } from 'zod';
import type { QueryParams, Sorting } from '@libs/http';
import type { ExecutionQuery, ExecutionRecord, ExecutionSortKey } from '@libs/persistence';
import { readQueryBody, refuseFilters } from './query-body';

export const EXECUTION_SORT_KEYS: readonly ExecutionSortKey[] = [
  'instanceId',
  'definitionKey',
  'definitionId',
  'tenantId',
];

/** Camunda's `ExecutionDto`. */
export const executionDtoSchema = z
  .object({
    id: z.string(),
    processInstanceId: z.string(),
    ended: z.boolean(),
    tenantId: z.string().nullable(),
  })
  .meta({ id: 'ExecutionDto' });

/** Camunda's `ExecutionDto`. */
export function executionDto(execution: ExecutionRecord): z.infer<typeof executionDtoSchema> {
  return {
    id: execution.id,
    processInstanceId: execution.processInstanceId,
    ended: false,
    tenantId: execution.tenantId,
  };
}

/** Camunda filters this service cannot honour: refused rather than ignored. */
const UNSUPPORTED = [
  'variables',
  'processVariables',
  'variableNamesIgnoreCase',
  'variableValuesIgnoreCase',
  'incidentId',
  'incidentType',
  'incidentMessage',
  'incidentMessageLike',
];

/** The filters of `GET /execution` (and of its POST body, read the same way). */
export function readExecutionQuery(params: QueryParams): ExecutionQuery {
  refuseFilters(params, UNSUPPORTED, 'executions');
  return {
    executionId: params.string('executionId'),
    processInstanceId: params.string('processInstanceId'),
    businessKey: params.string('businessKey'),
    processDefinitionId: params.string('processDefinitionId'),
    processDefinitionKey: params.string('processDefinitionKey'),
    activityId: params.string('activityId'),
    messageEventSubscriptionName: params.string('messageEventSubscriptionName'),
    signalEventSubscriptionName: params.string('signalEventSubscriptionName'),
    active: params.boolean('active'),
    suspended: params.boolean('suspended'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
  };
}

/** The JSON body of `POST /execution` (and `/count`): the GET filters, lists as arrays, and `sorting`. */
export function readExecutionQueryBody(body: unknown): {
  query: ExecutionQuery;
  sorting: Sorting<ExecutionSortKey>[];
} {
  return readQueryBody(body, EXECUTION_SORT_KEYS, readExecutionQuery);
}
