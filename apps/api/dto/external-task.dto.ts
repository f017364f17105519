import { z } from 'zod';
import { flag, integer, text, texts } from './optional-fields';
import {
  boundedList,
  formatDate,
  InvalidRequestException,
  MAX_LIST_LENGTH,
  parseRequest,
  sortingBodySchema,
  type QueryParams,
} from '@libs/http';
import type { ExternalTaskListing, ExternalTaskQuery, ExternalTaskSortKey, Sorting } from '@libs/persistence';
import type { FetchRequest, LockedExternalTask } from '@libs/runtime';
import { filterList, storedDuration, storedName } from './stored-fields';
import { variablesDto } from './variables.dto';

export const EXTERNAL_TASK_SORT_KEYS: readonly ExternalTaskSortKey[] = [
  'id',
  'lockExpirationTime',
  'processInstanceId',
  'processDefinitionId',
  'processDefinitionKey',
  'tenantId',
  'taskPriority',
  'createTime',
];

/** Camunda's limit for long polling (`FetchAndLockHandlerImpl.MAX_REQUEST_TIMEOUT`). */
const MAX_ASYNC_RESPONSE_TIMEOUT = 1_800_000;

/** Camunda's `ExternalTaskDto`. */
export function externalTaskDto(task: ExternalTaskListing) {
  return {
    activityId: task.activityId,
    activityInstanceId: task.activityInstanceId,
    errorMessage: task.errorMessage,
    executionId: task.executionId,
    id: task.id,
    lockExpirationTime: formatDate(task.lockExpirationTime),
    createTime: formatDate(task.created),
    processDefinitionId: task.processDefinitionId,
    processDefinitionKey: task.processDefinitionKey,
    processDefinitionVersionTag: task.processDefinitionVersionTag,
    processInstanceId: task.processInstanceId,
    retries: task.retries,
    suspended: task.suspended,
    workerId: task.workerId,
    topicName: task.topicName,
    tenantId: task.tenantId,
    priority: task.priority,
    businessKey: task.businessKey,
  };
}

/**
 * Camunda's `LockedExternalTaskDto`: the task with its variables. Camunda never fills `suspended` here
 * (locked tasks are never suspended) and this engine keeps no error details or extension properties.
 */
export function lockedExternalTaskDto(task: LockedExternalTask) {
  const { priority, businessKey, ...rest } = externalTaskDto(task);
  return {
    ...rest,
    errorDetails: null,
    suspended: false,
    variables: variablesDto(task.variables),
    priority,
    businessKey,
    extensionProperties: {},
  };
}

const externalTaskQuerySchema = z
  .object({
    externalTaskId: text,
    externalTaskIdIn: texts,
    topicName: text,
    workerId: text,
    locked: flag,
    notLocked: flag,
    withRetriesLeft: flag,
    noRetriesLeft: flag,
    activityId: text,
    activityIdIn: texts,
    executionId: text,
    processInstanceId: text,
    processInstanceIdIn: texts,
    processDefinitionId: text,
    tenantIdIn: texts,
    active: flag,
    suspended: flag,
    priorityHigherThanOrEquals: integer,
    priorityLowerThanOrEquals: integer,
    sorting: sortingBodySchema(EXTERNAL_TASK_SORT_KEYS),
  })
  .loose();

/** Parses the JSON body of `POST /external-task` (and `/count`). */
export function readExternalTaskQueryBody(body: unknown): {
  query: ExternalTaskQuery;
  sorting: Sorting<ExternalTaskSortKey>[];
} {
  const { sorting, ...query } = parseRequest(externalTaskQuerySchema, body ?? {});
  return { query, sorting };
}

/** The same filters from GET query parameters. */
export function readExternalTaskQueryParams(params: QueryParams): ExternalTaskQuery {
  return {
    externalTaskId: params.string('externalTaskId'),
    externalTaskIdIn: params.list('externalTaskIdIn'),
    topicName: params.string('topicName'),
    workerId: params.string('workerId'),
    locked: params.boolean('locked'),
    notLocked: params.boolean('notLocked'),
    withRetriesLeft: params.boolean('withRetriesLeft'),
    noRetriesLeft: params.boolean('noRetriesLeft'),
    activityId: params.string('activityId'),
    activityIdIn: params.list('activityIdIn'),
    executionId: params.string('executionId'),
    processInstanceId: params.string('processInstanceId'),
    processInstanceIdIn: params.list('processInstanceIdIn'),
    processDefinitionId: params.string('processDefinitionId'),
    tenantIdIn: params.list('tenantIdIn'),
    active: params.boolean('active'),
    suspended: params.boolean('suspended'),
    priorityHigherThanOrEquals: params.integer('priorityHigherThanOrEquals'),
    priorityLowerThanOrEquals: params.integer('priorityLowerThanOrEquals'),
  };
}

const topicSchema = z
  .object({
    topicName: z.string().nullish(),
    lockDuration: storedDuration.nullish(),
    variables: filterList.nullish(),
    localVariables: z.boolean().nullish(),
    businessKey: z.string().nullish(),
    processDefinitionId: z.string().nullish(),
    processDefinitionIdIn: filterList.nullish(),
    processDefinitionKey: z.string().nullish(),
    processDefinitionKeyIn: filterList.nullish(),
    tenantIdIn: filterList.nullish(),
    withoutTenantId: z.boolean().nullish(),
    processVariables: z.record(z.string(), z.unknown()).nullish(),
    processDefinitionVersionTag: z.string().nullish(),
  })
  .loose();

const fetchAndLockSchema = z
  .object({
    workerId: storedName.nullish(),
    maxTasks: z.number().int().max(MAX_LIST_LENGTH).nullish(),
    usePriority: z.boolean().nullish(),
    asyncResponseTimeout: z.number().int().nullish(),
    topics: boundedList(topicSchema).nullish(),
    sorting: boundedList(z.object({ sortBy: z.string(), sortOrder: z.string().nullish() }).loose()).nullish(),
  })
  .loose();

/**
 * The body of `POST /external-task/fetchAndLock`, validated with Camunda's messages (answered 400 here;
 * Camunda's engine answers 500 for them). Topic filters on process variables or the definition's
 * version tag are refused rather than ignored, so a worker never gets tasks it did not ask for.
 */
export function readFetchAndLock(body: unknown): { request: FetchRequest; asyncResponseTimeout?: number } {
  const dto = parseRequest(fetchAndLockSchema, body ?? {});
  const invalid = (message: string) => new InvalidRequestException(400, message);
  if (dto.workerId === undefined || dto.workerId === null) throw invalid('workerId is null');
  const maxTasks = dto.maxTasks ?? 0;
  if (maxTasks < 0) throw invalid('maxResults is not greater than or equal to 0');
  const timeout = dto.asyncResponseTimeout ?? undefined;
  if (timeout !== undefined && timeout > MAX_ASYNC_RESPONSE_TIMEOUT) {
    throw invalid(
      `The asynchronous response timeout cannot be set to a value greater than ${MAX_ASYNC_RESPONSE_TIMEOUT} milliseconds`,
    );
  }
  let createTimeOrder: 'asc' | 'desc' | undefined;
  for (const sorting of dto.sorting ?? []) {
    if (sorting.sortBy !== 'createTime')
      throw invalid(`Cannot set query sortBy parameter to value ${sorting.sortBy}`);
    const order = sorting.sortOrder ?? 'asc';
    if (order !== 'asc' && order !== 'desc')
      throw invalid(`Cannot set query sortOrder parameter to value ${order}`);
    createTimeOrder = order;
  }
  const topics = (dto.topics ?? []).map((topic) => {
    if (topic.topicName === undefined || topic.topicName === null) throw invalid('topicName is null');
    if ((topic.lockDuration ?? 0) <= 0) throw invalid('lockTime is not greater than 0');
    if (topic.processVariables || topic.processDefinitionVersionTag) {
      throw invalid('Topic filters processVariables and processDefinitionVersionTag are not supported');
    }
    return {
      topicName: topic.topicName,
      lockDuration: topic.lockDuration ?? 0,
      variables: topic.variables ?? null,
      localVariables: topic.localVariables ?? false,
      businessKey: topic.businessKey ?? undefined,
      processDefinitionIdIn: joined(topic.processDefinitionId, topic.processDefinitionIdIn),
      processDefinitionKeyIn: joined(topic.processDefinitionKey, topic.processDefinitionKeyIn),
      tenantIdIn: topic.tenantIdIn ?? undefined,
      withoutTenantId: topic.withoutTenantId ?? undefined,
    };
  });
  return {
    request: {
      workerId: dto.workerId,
      maxTasks,
      usePriority: dto.usePriority ?? false,
      createTimeOrder,
      topics,
    },
    asyncResponseTimeout: timeout,
  };
}

/** A single-value filter and its list form, combined (both must hold in Camunda; one list here). */
function joined(
  single: string | null | undefined,
  list: readonly string[] | null | undefined,
): readonly string[] | undefined {
  if (single === undefined || single === null) return list ?? undefined;
  return list ? list.filter((entry) => entry === single) : [single];
}
