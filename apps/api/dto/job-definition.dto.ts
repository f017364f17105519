import { z } from 'zod';
import { parseRequest, sortingBodySchema, type QueryParams } from '@libs/http';
import type {
  JobDefinitionQuery,
  JobDefinitionRecord,
  JobDefinitionSortKey,
  Sorting,
} from '@libs/persistence';
import { filterList } from './stored-fields';

export const JOB_DEFINITION_SORT_KEYS: readonly JobDefinitionSortKey[] = [
  'jobDefinitionId',
  'activityId',
  'processDefinitionId',
  'processDefinitionKey',
  'jobType',
  'jobConfiguration',
  'tenantId',
];

/** Camunda's `JobDefinitionDto`. */
export const jobDefinitionDtoSchema = z
  .object({
    id: z.string(),
    processDefinitionId: z.string().nullable(),
    processDefinitionKey: z.string().nullable(),
    activityId: z.string().nullable(),
    jobType: z.string(),
    jobConfiguration: z.string().nullable(),
    overridingJobPriority: z.number().int().nullable(),
    suspended: z.boolean(),
    tenantId: z.string().nullable(),
    deploymentId: z.string().nullable(),
  })
  .meta({ id: 'JobDefinitionDto' });

/** Camunda's `JobDefinitionDto`. */
export function jobDefinitionDto(definition: JobDefinitionRecord): z.infer<typeof jobDefinitionDtoSchema> {
  return {
    id: definition.id,
    processDefinitionId: definition.processDefinitionId,
    processDefinitionKey: definition.processDefinitionKey,
    activityId: definition.activityId,
    jobType: definition.jobType,
    jobConfiguration: definition.jobConfiguration,
    overridingJobPriority: definition.overridingJobPriority,
    suspended: definition.suspended,
    tenantId: definition.tenantId,
    deploymentId: definition.deploymentId,
  };
}

/** The JSON body of `POST /job-definition` and `POST /job-definition/count`. */
const jobDefinitionQuerySchema = z
  .object({
    jobDefinitionId: z.string().optional(),
    activityIdIn: filterList.optional(),
    processDefinitionId: z.string().optional(),
    processDefinitionKey: z.string().optional(),
    jobType: z.string().optional(),
    jobConfiguration: z.string().optional(),
    active: z.boolean().optional(),
    suspended: z.boolean().optional(),
    withOverridingJobPriority: z.boolean().optional(),
    tenantIdIn: filterList.optional(),
    withoutTenantId: z.boolean().optional(),
    includeJobDefinitionsWithoutTenantId: z.boolean().optional(),
    sorting: sortingBodySchema(JOB_DEFINITION_SORT_KEYS),
  })
  .loose();

export function readJobDefinitionQueryBody(body: unknown): {
  query: JobDefinitionQuery;
  sorting: Sorting<JobDefinitionSortKey>[];
} {
  const { sorting, ...query } = parseRequest(jobDefinitionQuerySchema, body ?? {});
  return { query, sorting };
}

export function readJobDefinitionQueryParams(params: QueryParams): JobDefinitionQuery {
  return {
    jobDefinitionId: params.string('jobDefinitionId'),
    activityIdIn: params.list('activityIdIn'),
    processDefinitionId: params.string('processDefinitionId'),
    processDefinitionKey: params.string('processDefinitionKey'),
    jobType: params.string('jobType'),
    jobConfiguration: params.string('jobConfiguration'),
    active: params.boolean('active'),
    suspended: params.boolean('suspended'),
    withOverridingJobPriority: params.boolean('withOverridingJobPriority'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    includeJobDefinitionsWithoutTenantId: params.boolean('includeJobDefinitionsWithoutTenantId'),
  };
}
