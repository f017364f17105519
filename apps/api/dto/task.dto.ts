import { z } from 'zod';
import { flag, integer, text, texts } from './optional-fields';
import { formatDate, parseRequest, sortingBodySchema, type QueryParams } from '@libs/http';
import type { Sorting, TaskQuery, TaskRecord, TaskSortKey } from '@libs/persistence';

export const TASK_SORT_KEYS: readonly TaskSortKey[] = [
  'id',
  'name',
  'nameCaseInsensitive',
  'assignee',
  'created',
  'lastUpdated',
  'dueDate',
  'followUpDate',
  'priority',
  'instanceId',
  'executionId',
  'tenantId',
];

/**
 * Camunda's `TaskDto`, every field present. What this engine has no notion of (delegation, description,
 * parent tasks, cases, forms) is `null`; `suspended` and `tenantId` come from the process instance;
 * `taskState` is `Created` until a property changed, then `Updated`, as Camunda reports open tasks.
 */
export function taskDto(task: TaskRecord) {
  const lastUpdated = task.lastUpdated ?? null;
  return {
    id: task.id,
    name: task.name,
    assignee: task.assignee,
    created: formatDate(task.created),
    due: formatDate(task.due),
    followUp: formatDate(task.followUp),
    lastUpdated: formatDate(lastUpdated),
    delegationState: null,
    description: null,
    executionId: task.executionId,
    owner: task.owner,
    parentTaskId: null,
    priority: task.priority,
    processDefinitionId: task.processDefinitionId,
    processInstanceId: task.processInstanceId,
    taskDefinitionKey: task.taskDefinitionKey,
    caseExecutionId: null,
    caseInstanceId: null,
    caseDefinitionId: null,
    suspended: task.suspended,
    formKey: null,
    camundaFormRef: null,
    tenantId: task.tenantId,
    taskState: lastUpdated === null ? 'Created' : 'Updated',
  };
}

/** Camunda treats a JSON `null` like an absent field. */

/** The JSON body of `POST /task` and `POST /task/count`. */
const taskQuerySchema = z
  .object({
    taskId: text,
    taskIdIn: texts,
    processInstanceId: text,
    processInstanceIdIn: texts,
    processInstanceBusinessKey: text,
    processInstanceBusinessKeyIn: texts,
    processInstanceBusinessKeyLike: text,
    businessKey: text,
    processDefinitionId: text,
    processDefinitionKey: text,
    processDefinitionKeyIn: texts,
    executionId: text,
    activityInstanceIdIn: texts,
    taskDefinitionKey: text,
    taskDefinitionKeyIn: texts,
    name: text,
    nameLike: text,
    assignee: text,
    assigneeLike: text,
    assigneeIn: texts,
    assigned: flag,
    unassigned: flag,
    candidateUser: text,
    candidateGroup: text,
    candidateGroups: texts,
    includeAssignedTasks: flag,
    withCandidateGroups: flag,
    withoutCandidateGroups: flag,
    withCandidateUsers: flag,
    withoutCandidateUsers: flag,
    priority: integer,
    minPriority: integer,
    maxPriority: integer,
    tenantIdIn: texts,
    withoutTenantId: flag,
    active: flag,
    suspended: flag,
    sorting: sortingBodySchema(TASK_SORT_KEYS),
  })
  .loose();

/** Parses a JSON task query into the repository's query and sorting. */
export function readTaskQueryBody(body: unknown): { query: TaskQuery; sorting: Sorting<TaskSortKey>[] } {
  const { sorting, businessKey, ...query } = parseRequest(taskQuerySchema, body ?? {});
  return {
    query: { ...query, processInstanceBusinessKey: query.processInstanceBusinessKey ?? businessKey },
    sorting,
  };
}

/** The same filters from GET query parameters (lists comma separated). */
export function readTaskQueryParams(params: QueryParams): TaskQuery {
  return {
    taskId: params.string('taskId'),
    taskIdIn: params.list('taskIdIn'),
    processInstanceId: params.string('processInstanceId'),
    processInstanceIdIn: params.list('processInstanceIdIn'),
    processInstanceBusinessKey: params.string('processInstanceBusinessKey') ?? params.string('businessKey'),
    processInstanceBusinessKeyIn: params.list('processInstanceBusinessKeyIn'),
    processInstanceBusinessKeyLike: params.string('processInstanceBusinessKeyLike'),
    processDefinitionId: params.string('processDefinitionId'),
    processDefinitionKey: params.string('processDefinitionKey'),
    processDefinitionKeyIn: params.list('processDefinitionKeyIn'),
    executionId: params.string('executionId'),
    activityInstanceIdIn: params.list('activityInstanceIdIn'),
    taskDefinitionKey: params.string('taskDefinitionKey'),
    taskDefinitionKeyIn: params.list('taskDefinitionKeyIn'),
    name: params.string('name'),
    nameLike: params.string('nameLike'),
    assignee: params.string('assignee'),
    assigneeLike: params.string('assigneeLike'),
    assigneeIn: params.list('assigneeIn'),
    assigned: params.boolean('assigned'),
    unassigned: params.boolean('unassigned'),
    candidateUser: params.string('candidateUser'),
    candidateGroup: params.string('candidateGroup'),
    candidateGroups: params.list('candidateGroups'),
    includeAssignedTasks: params.boolean('includeAssignedTasks'),
    withCandidateGroups: params.boolean('withCandidateGroups'),
    withoutCandidateGroups: params.boolean('withoutCandidateGroups'),
    withCandidateUsers: params.boolean('withCandidateUsers'),
    withoutCandidateUsers: params.boolean('withoutCandidateUsers'),
    priority: params.integer('priority'),
    minPriority: params.integer('minPriority'),
    maxPriority: params.integer('maxPriority'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    active: params.boolean('active'),
    suspended: params.boolean('suspended'),
  };
}
