import {
  InvalidRequestException,
  QueryParams,
  sortingBodySchema,
  parseRequest,
  type Sorting,
} from '@libs/http';
import type { ExecutionQuery, ExecutionRecord, ExecutionSortKey } from '@libs/persistence';
import { z } from 'zod';

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
  for (const name of UNSUPPORTED) {
    if (params.string(name) !== undefined) {
      throw new InvalidRequestException(
        400,
        `Filtering executions by '${name}' is not supported by this service`,
      );
    }
  }
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

const sortingOnly = z.object({ sorting: sortingBodySchema(EXECUTION_SORT_KEYS) }).loose();

/** The JSON body of `POST /execution` (and `/count`): the GET filters, lists as arrays, and `sorting`. */
export function readExecutionQueryBody(body: unknown): {
  query: ExecutionQuery;
  sorting: Sorting<ExecutionSortKey>[];
} {
  const query = readExecutionQuery(QueryParams.fromBody(body, 'request body', ['sorting']));
  return { query, sorting: parseRequest(sortingOnly, body ?? {}).sorting };
}
