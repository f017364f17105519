import { z } from 'zod';
import { formatDate, parseRequest, sortingBodySchema, type QueryParams } from '@libs/http';
import {
  JOB_LOG_SORT_COLUMNS,
  type JobLogQuery,
  type JobLogRecord,
  type JobLogSortKey,
  type Sorting,
} from '@libs/persistence';
import { filterList } from './stored-fields';

export const JOB_LOG_SORT_KEYS = Object.keys(JOB_LOG_SORT_COLUMNS) as JobLogSortKey[];

/** Camunda's HistoricJobLogDto (7.22): every field present; no removal time (no history cleanup here). */
export function historicJobLogDto(entry: JobLogRecord) {
  return {
    id: entry.id,
    timestamp: formatDate(entry.timestamp),
    removalTime: null,
    jobId: entry.jobId,
    jobDueDate: formatDate(entry.jobDueDate),
    jobRetries: entry.jobRetries,
    jobPriority: entry.jobPriority,
    jobExceptionMessage: entry.jobExceptionMessage,
    failedActivityId: entry.failedActivityId,
    jobDefinitionId: entry.jobDefinitionId,
    jobDefinitionType: entry.jobDefinitionType,
    jobDefinitionConfiguration: entry.jobDefinitionConfiguration,
    activityId: entry.activityId,
    executionId: entry.executionId,
    processInstanceId: entry.processInstanceId,
    processDefinitionId: entry.processDefinitionId,
    processDefinitionKey: entry.processDefinitionKey,
    deploymentId: entry.deploymentId,
    tenantId: entry.tenantId,
    hostname: entry.hostname,
    // The instance itself, also in a called instance (see the README's call activities: a deviation).
    rootProcessInstanceId: entry.processInstanceId,
    sequenceCounter: entry.sequenceCounter,
    creationLog: entry.state === 'created',
    failureLog: entry.state === 'failed',
    successLog: entry.state === 'successful',
    deletionLog: entry.state === 'deleted',
  };
}

const STRING_FILTERS = [
  'logId',
  'jobId',
  'jobExceptionMessage',
  'jobDefinitionId',
  'jobDefinitionType',
  'jobDefinitionConfiguration',
  'processInstanceId',
  'processDefinitionId',
  'processDefinitionKey',
  'deploymentId',
  'hostname',
] as const;
const LIST_FILTERS = ['activityIdIn', 'failedActivityIdIn', 'executionIdIn', 'tenantIdIn'] as const;
const FLAG_FILTERS = ['creationLog', 'failureLog', 'successLog', 'deletionLog', 'withoutTenantId'] as const;
const PRIORITY_FILTERS = ['jobPriorityLowerThanOrEquals', 'jobPriorityHigherThanOrEquals'] as const;

/** The JSON body of `POST /history/job-log` and `/count` (Camunda's HistoricJobLogQueryDto). */
const jobLogQuerySchema = z
  .object({
    ...Object.fromEntries(STRING_FILTERS.map((name) => [name, z.string().optional()])),
    ...Object.fromEntries(LIST_FILTERS.map((name) => [name, filterList.optional()])),
    ...Object.fromEntries(FLAG_FILTERS.map((name) => [name, z.boolean().optional()])),
    ...Object.fromEntries(PRIORITY_FILTERS.map((name) => [name, z.number().int().optional()])),
    sorting: sortingBodySchema(JOB_LOG_SORT_KEYS),
  })
  .loose();

export function readJobLogQueryBody(body: unknown): {
  query: JobLogQuery;
  sorting: Sorting<JobLogSortKey>[];
} {
  const { sorting, ...query } = parseRequest(jobLogQuerySchema, body ?? {}) as JobLogQuery & {
    sorting: Sorting<JobLogSortKey>[];
  };
  return { query, sorting };
}

/** The same filters from GET query parameters. */
export function readJobLogQueryParams(params: QueryParams): JobLogQuery {
  return Object.fromEntries([
    ...STRING_FILTERS.map((name) => [name, params.string(name)]),
    ...LIST_FILTERS.map((name) => [name, params.list(name)]),
    ...FLAG_FILTERS.map((name) => [name, params.boolean(name)]),
    ...PRIORITY_FILTERS.map((name) => [name, params.integer(name)]),
  ]) as JobLogQuery;
}
