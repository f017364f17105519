import type { Request } from 'express';
import { z } from 'zod';
import {
  boundedList,
  invalidParameter,
  parseRequest,
  selfLink,
  sortingBodySchema,
  type QueryParams,
} from '@libs/http';
import { filterList } from './stored-fields';
import { commaList, linkDto } from '../openapi/schemas';
import type {
  ProcessInstanceQuery,
  ProcessInstanceRecord,
  ProcessInstanceSortKey,
  Sorting,
  VariableFilter,
  VariableOperator,
} from '@libs/persistence';

export const PROCESS_INSTANCE_SORT_KEYS: readonly ProcessInstanceSortKey[] = [
  'instanceId',
  'definitionKey',
  'definitionId',
  'tenantId',
  'businessKey',
];

/** Camunda's `ProcessInstanceDto`; `links` is empty in lists and holds `self` where Camunda adds it. */
/** Camunda's `ProcessInstanceDto`. */
export const processInstanceDtoSchema = z
  .object({
    links: z.array(linkDto),
    id: z.string(),
    definitionId: z.string(),
    definitionKey: z.string(),
    businessKey: z.string().nullable(),
    caseInstanceId: z.null(),
    ended: z.boolean(),
    suspended: z.boolean(),
    tenantId: z.string().nullable(),
  })
  .meta({ id: 'ProcessInstanceDto' });

export function processInstanceDto(
  instance: Pick<
    ProcessInstanceRecord,
    'id' | 'definitionId' | 'definitionKey' | 'businessKey' | 'tenantId' | 'suspended'
  > & { ended?: boolean },
  req?: Request,
  basePath?: string,
): z.infer<typeof processInstanceDtoSchema> {
  return {
    links: req ? [selfLink(req, instance.id, basePath)] : [],
    id: instance.id,
    definitionId: instance.definitionId,
    definitionKey: instance.definitionKey,
    businessKey: instance.businessKey,
    caseInstanceId: null,
    ended: instance.ended ?? false,
    suspended: instance.suspended,
    tenantId: instance.tenantId,
  };
}

const OPERATORS = ['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'like'] as const;

const variableFilterSchema = z.object({
  name: z.string().min(1),
  operator: z.enum(OPERATORS),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});

/** The JSON body of `POST /process-instance` and the `processInstanceQuery` of batch requests. */
export const processInstanceQuerySchema = z
  .object({
    processInstanceIds: filterList.optional(),
    businessKey: z.string().optional(),
    businessKeyLike: z.string().optional(),
    processDefinitionId: z.string().optional(),
    processDefinitionKey: z.string().optional(),
    processDefinitionKeyIn: filterList.optional(),
    processDefinitionKeyNotIn: filterList.optional(),
    deploymentId: z.string().optional(),
    activityIdIn: filterList.optional(),
    superProcessInstance: z.string().optional(),
    subProcessInstance: z.string().optional(),
    rootProcessInstances: z.boolean().optional(),
    leafProcessInstances: z.boolean().optional(),
    rootProcessInstanceId: z.string().optional(),
    suspended: z.boolean().optional(),
    active: z.boolean().optional(),
    tenantIdIn: filterList.optional(),
    withoutTenantId: z.boolean().optional(),
    processDefinitionWithoutTenantId: z.boolean().optional(),
    variables: boundedList(variableFilterSchema).optional(),
    variableNamesIgnoreCase: z.boolean().optional(),
    variableValuesIgnoreCase: z.boolean().optional(),
    sorting: sortingBodySchema(PROCESS_INSTANCE_SORT_KEYS),
  })
  .loose();

export type ProcessInstanceQueryDto = z.infer<typeof processInstanceQuerySchema>;

/** Parses a JSON process-instance query into the repository's query and sorting. */
export function readProcessInstanceQueryBody(
  body: unknown,
  what = 'request body',
): { query: ProcessInstanceQuery; sorting: Sorting<ProcessInstanceSortKey>[] } {
  const { sorting, ...query } = parseRequest(processInstanceQuerySchema, body ?? {}, what);
  return { query, sorting };
}

/** The filters `GET /process-instance` and `GET /process-instance/count` read. */
export const processInstanceQueryParams = z.object({
  businessKey: z.string(),
  businessKeyLike: z.string(),
  processDefinitionId: z.string(),
  processDefinitionKey: z.string(),
  deploymentId: z.string(),
  superProcessInstance: z.string(),
  subProcessInstance: z.string(),
  rootProcessInstanceId: z.string(),
  processInstanceIds: commaList,
  processDefinitionKeyIn: commaList,
  processDefinitionKeyNotIn: commaList,
  activityIdIn: commaList,
  tenantIdIn: commaList,
  rootProcessInstances: z.boolean(),
  leafProcessInstances: z.boolean(),
  suspended: z.boolean(),
  active: z.boolean(),
  withoutTenantId: z.boolean(),
  processDefinitionWithoutTenantId: z.boolean(),
  variableNamesIgnoreCase: z.boolean(),
  variableValuesIgnoreCase: z.boolean(),
  variables: commaList.meta({ description: 'Variable filters `name_op_value`, comma separated.' }),
});

/** The same filters from GET query parameters (lists comma separated, variables as `name_op_value`). */
export function readProcessInstanceQueryParams(params: QueryParams): ProcessInstanceQuery {
  return {
    processInstanceIds: params.list('processInstanceIds'),
    businessKey: params.string('businessKey'),
    businessKeyLike: params.string('businessKeyLike'),
    processDefinitionId: params.string('processDefinitionId'),
    processDefinitionKey: params.string('processDefinitionKey'),
    processDefinitionKeyIn: params.list('processDefinitionKeyIn'),
    processDefinitionKeyNotIn: params.list('processDefinitionKeyNotIn'),
    deploymentId: params.string('deploymentId'),
    activityIdIn: params.list('activityIdIn'),
    superProcessInstance: params.string('superProcessInstance'),
    subProcessInstance: params.string('subProcessInstance'),
    rootProcessInstances: params.boolean('rootProcessInstances'),
    leafProcessInstances: params.boolean('leafProcessInstances'),
    rootProcessInstanceId: params.string('rootProcessInstanceId'),
    suspended: params.boolean('suspended'),
    active: params.boolean('active'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    processDefinitionWithoutTenantId: params.boolean('processDefinitionWithoutTenantId'),
    variables: params.list('variables')?.map(parseVariableFilter),
    variableNamesIgnoreCase: params.boolean('variableNamesIgnoreCase'),
    variableValuesIgnoreCase: params.boolean('variableValuesIgnoreCase'),
  };
}

/**
 * `name_op_value`; the value is read as boolean or number when it looks like one (Camunda's
 * converter). A number too large for a double (`1e999`) is refused, never compared as infinity.
 */
function parseVariableFilter(text: string): VariableFilter {
  const match = /^(.+?)_(eq|neq|gteq|gt|lteq|lt|like)_(.*)$/.exec(text);
  if (!match) throw invalidParameter('variables', text);
  const [, name, operator, raw] = match as unknown as [string, string, VariableOperator, string];
  if (raw === 'true' || raw === 'false') return { name, operator, value: raw === 'true' };
  const number = raw === '' ? Number.NaN : Number(raw);
  if (Number.isNaN(number)) return { name, operator, value: raw };
  if (!Number.isFinite(number)) throw invalidParameter('variables', text);
  return { name, operator, value: number };
}
