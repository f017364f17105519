import { formatDate, type QueryParams, type Sorting } from '@libs/http';
import {
  HISTORIC_TASK_SORT_COLUMNS,
  type HistoricTaskQuery,
  type HistoricTaskRecord,
  type HistoricTaskSortKey,
} from '@libs/persistence';
import { readQueryBody, refuseFilters } from './query-body';

export const HISTORIC_TASK_SORT_KEYS = Object.keys(HISTORIC_TASK_SORT_COLUMNS) as HistoricTaskSortKey[];

/** Camunda's `HistoricTaskInstanceDto`: no cases, parent tasks or descriptions exist here (always `null`). */
export function historicTaskDto(task: HistoricTaskRecord) {
  return {
    id: task.id,
    processDefinitionKey: task.processDefinitionKey,
    processDefinitionId: task.processDefinitionId,
    processInstanceId: task.processInstanceId,
    executionId: task.executionId,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    activityInstanceId: task.activityInstanceId,
    name: task.name,
    description: null,
    deleteReason: task.deleteReason,
    owner: task.owner,
    assignee: task.assignee,
    startTime: formatDate(task.startTime),
    endTime: formatDate(task.endTime),
    duration: task.endTime === null ? null : task.endTime.getTime() - task.startTime.getTime(),
    taskDefinitionKey: task.taskDefinitionKey,
    priority: task.priority,
    due: formatDate(task.due),
    parentTaskId: null,
    followUp: formatDate(task.followUp),
    tenantId: task.tenantId,
    removalTime: null,
    rootProcessInstanceId: task.rootProcessInstanceId,
    taskState: task.taskState,
  };
}

/**
 * Camunda filters this service cannot answer, refused rather than ignored: variables (no task-local
 * variables, process variables as of a task's time are not kept), identity links (candidate users and
 * groups are not part of task history) and `orQueries`.
 */
const UNSUPPORTED = [
  'taskVariables',
  'processVariables',
  'variableNamesIgnoreCase',
  'variableValuesIgnoreCase',
  'taskInvolvedUser',
  'taskInvolvedGroup',
  'taskHadCandidateUser',
  'taskHadCandidateGroup',
  'withCandidateGroups',
  'withoutCandidateGroups',
  'orQueries',
];

/** Filters no task here can satisfy: cases, parent tasks and descriptions do not exist. */
const MATCH_NOTHING = [
  'taskParentTaskId',
  'caseInstanceId',
  'caseExecutionId',
  'caseDefinitionId',
  'caseDefinitionKey',
  'caseDefinitionName',
  'taskDescription',
  'taskDescriptionLike',
];

/** The filters of `GET /history/task` (and its count; a POST body read the same way). */
export function readHistoricTaskQuery(params: QueryParams): HistoricTaskQuery {
  refuseFilters(params, UNSUPPORTED, 'task history');
  const list = (name: string) => params.list(name);
  return {
    taskId: params.string('taskId'),
    processInstanceId: params.string('processInstanceId'),
    rootProcessInstanceId: params.string('rootProcessInstanceId'),
    processInstanceBusinessKey: params.string('processInstanceBusinessKey'),
    processInstanceBusinessKeyIn: list('processInstanceBusinessKeyIn'),
    processInstanceBusinessKeyLike: params.string('processInstanceBusinessKeyLike'),
    executionId: params.string('executionId'),
    processDefinitionId: params.string('processDefinitionId'),
    processDefinitionKey: params.string('processDefinitionKey'),
    processDefinitionName: params.string('processDefinitionName'),
    activityInstanceIdIn: list('activityInstanceIdIn'),
    taskName: params.string('taskName'),
    taskNameLike: params.string('taskNameLike'),
    taskDefinitionKey: params.string('taskDefinitionKey'),
    taskDefinitionKeyIn: list('taskDefinitionKeyIn'),
    taskDeleteReason: params.string('taskDeleteReason'),
    taskDeleteReasonLike: params.string('taskDeleteReasonLike'),
    assigned: params.boolean('assigned') === true || params.boolean('taskAssigned') === true,
    unassigned: params.boolean('unassigned') === true || params.boolean('taskUnassigned') === true,
    taskAssignee: params.string('taskAssignee'),
    taskAssigneeLike: params.string('taskAssigneeLike'),
    taskOwner: params.string('taskOwner'),
    taskOwnerLike: params.string('taskOwnerLike'),
    taskPriority: params.integer('taskPriority'),
    finished: params.boolean('finished'),
    unfinished: params.boolean('unfinished'),
    processFinished: params.boolean('processFinished'),
    processUnfinished: params.boolean('processUnfinished'),
    taskDueDate: params.date('taskDueDate'),
    taskDueDateBefore: params.date('taskDueDateBefore'),
    taskDueDateAfter: params.date('taskDueDateAfter'),
    withoutTaskDueDate: params.boolean('withoutTaskDueDate'),
    taskFollowUpDate: params.date('taskFollowUpDate'),
    taskFollowUpDateBefore: params.date('taskFollowUpDateBefore'),
    taskFollowUpDateAfter: params.date('taskFollowUpDateAfter'),
    startedBefore: params.date('startedBefore'),
    startedAfter: params.date('startedAfter'),
    finishedBefore: params.date('finishedBefore'),
    finishedAfter: params.date('finishedAfter'),
    tenantIdIn: list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    matchesNothing: MATCH_NOTHING.some((name) => params.string(name) !== undefined),
  };
}

/** The JSON body of `POST /history/task` (and `/count`). */
export function readHistoricTaskQueryBody(body: unknown): {
  query: HistoricTaskQuery;
  sorting: Sorting<HistoricTaskSortKey>[];
} {
  return readQueryBody(body, HISTORIC_TASK_SORT_KEYS, readHistoricTaskQuery);
}
