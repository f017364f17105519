import { z } from 'zod';
import {
  boundedList,
  formatDate,
  invalidParameter,
  InvalidRequestException,
  parseDate,
  parseRequest,
  sortingBodySchema,
  type QueryParams,
} from '@libs/http';
import { filterList } from './stored-fields';
import type { DateCondition, JobQuery, JobRecord, JobSortKey, Sorting } from '@libs/persistence';

export const JOB_SORT_KEYS: readonly JobSortKey[] = [
  'jobId',
  'executionId',
  'processInstanceId',
  'processDefinitionId',
  'processDefinitionKey',
  'jobPriority',
  'jobRetries',
  'jobDueDate',
  'tenantId',
];

/**
 * Camunda's `JobDto`. `failedActivityId` is the activity of a job whose last run failed (where a run
 * fails further on, after leaving that activity synchronously, Camunda names that later activity).
 */
export function jobDto(job: JobRecord) {
  return {
    id: job.id,
    jobDefinitionId: job.jobDefinitionId,
    processInstanceId: job.processInstanceId,
    processDefinitionId: job.processDefinitionId,
    processDefinitionKey: job.processDefinitionKey,
    executionId: job.executionId,
    exceptionMessage: job.exceptionMessage,
    failedActivityId: job.exceptionMessage === null ? null : job.activityId,
    retries: job.retries,
    dueDate: formatDate(job.dueDate),
    suspended: job.suspended,
    priority: job.priority,
    tenantId: job.tenantId,
    createTime: formatDate(job.createTime),
    batchId: job.batchId,
  };
}

const stringList = filterList;
const condition = z.object({ operator: z.string(), value: z.string() });

/** The JSON body of `POST /job` and `POST /job/count`. */
const jobQuerySchema = z
  .object({
    jobId: z.string().optional(),
    jobIds: stringList.optional(),
    jobDefinitionId: z.string().optional(),
    processInstanceId: z.string().optional(),
    processInstanceIds: stringList.optional(),
    executionId: z.string().optional(),
    processDefinitionId: z.string().optional(),
    processDefinitionKey: z.string().optional(),
    activityId: z.string().optional(),
    failedActivityId: z.string().optional(),
    timers: z.boolean().optional(),
    messages: z.boolean().optional(),
    withRetriesLeft: z.boolean().optional(),
    noRetriesLeft: z.boolean().optional(),
    withException: z.boolean().optional(),
    exceptionMessage: z.string().optional(),
    executable: z.boolean().optional(),
    active: z.boolean().optional(),
    suspended: z.boolean().optional(),
    dueDates: boundedList(condition).optional(),
    createTimes: boundedList(condition).optional(),
    priorityHigherThanOrEquals: z.number().int().optional(),
    priorityLowerThanOrEquals: z.number().int().optional(),
    tenantIdIn: stringList.optional(),
    withoutTenantId: z.boolean().optional(),
    includeJobsWithoutTenantId: z.boolean().optional(),
    sorting: sortingBodySchema(JOB_SORT_KEYS),
  })
  .loose();

/** Parses a JSON job query into the repository's query and sorting. */
export function readJobQueryBody(body: unknown): { query: JobQuery; sorting: Sorting<JobSortKey>[] } {
  const { sorting, dueDates, createTimes, ...rest } = parseRequest(jobQuerySchema, body ?? {});
  const query: JobQuery = {
    ...rest,
    dueDates: dueDates && readConditions(dueDates, 'due date'),
    createTimes: createTimes && readConditions(createTimes, 'create time'),
  };
  return {
    query: checked(query),
    sorting,
  };
}

/** The same filters from GET query parameters (conditions as `gt_<date>,lt_<date>`). */
export function readJobQueryParams(params: QueryParams): JobQuery {
  const priority = (name: string) => params.integer(name);
  return checked({
    jobId: params.string('jobId'),
    jobIds: params.list('jobIds'),
    jobDefinitionId: params.string('jobDefinitionId'),
    processInstanceId: params.string('processInstanceId'),
    processInstanceIds: params.list('processInstanceIds'),
    executionId: params.string('executionId'),
    processDefinitionId: params.string('processDefinitionId'),
    processDefinitionKey: params.string('processDefinitionKey'),
    activityId: params.string('activityId'),
    failedActivityId: params.string('failedActivityId'),
    timers: params.boolean('timers'),
    messages: params.boolean('messages'),
    withRetriesLeft: params.boolean('withRetriesLeft'),
    noRetriesLeft: params.boolean('noRetriesLeft'),
    withException: params.boolean('withException'),
    exceptionMessage: params.string('exceptionMessage'),
    executable: params.boolean('executable'),
    active: params.boolean('active'),
    suspended: params.boolean('suspended'),
    dueDates: conditionParams(params, 'dueDates', 'due date'),
    createTimes: conditionParams(params, 'createTimes', 'create time'),
    priorityHigherThanOrEquals: priority('priorityHigherThanOrEquals'),
    priorityLowerThanOrEquals: priority('priorityLowerThanOrEquals'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    includeJobsWithoutTenantId: params.boolean('includeJobsWithoutTenantId'),
  });
}

/** Combinations Camunda's job query refuses (with a 500 there; bad input is a 400 here). */
function checked(query: JobQuery): JobQuery {
  if (query.timers && query.messages) {
    throw new InvalidRequestException(
      400,
      'Cannot combine onlyTimers() with onlyMessages() in the same query',
    );
  }
  return query;
}

function conditionParams(params: QueryParams, name: string, what: string): DateCondition[] | undefined {
  const entries = params.list(name);
  if (entries === undefined) return undefined;
  return readConditions(
    entries.map((entry) => {
      const separator = entry.indexOf('_');
      if (separator < 1) throw invalidParameter(name, params.string(name) ?? '');
      return { operator: entry.slice(0, separator), value: entry.slice(separator + 1) };
    }),
    what,
  );
}

/** `{operator, value}` pairs as date conditions, with Camunda's messages for bad operators and dates. */
function readConditions(
  conditions: ReadonlyArray<{ operator: string; value: string }>,
  what: string,
): DateCondition[] {
  return conditions.map(({ operator, value }) => {
    const date = parseDate(value);
    if (date === undefined) {
      throw new InvalidRequestException(
        400,
        `Invalid ${what} format: Cannot convert value "${value}" to java type java.util.Date`,
      );
    }
    if (operator !== 'gt' && operator !== 'lt') {
      throw new InvalidRequestException(400, `Invalid ${what} comparator specified: ${operator}`);
    }
    return { operator, value: date };
  });
}
