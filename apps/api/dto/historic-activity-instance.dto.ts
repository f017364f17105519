import { formatDate, type QueryParams } from '@libs/http';
import type {
  HistoricActivityInstanceQuery,
  HistoricActivityInstanceRecord,
  HistoricActivityInstanceSortKey,
} from '@libs/persistence';

export const HISTORIC_ACTIVITY_INSTANCE_SORT_KEYS: readonly HistoricActivityInstanceSortKey[] = [
  'activityInstanceId',
  'instanceId',
  'executionId',
  'activityId',
  'activityName',
  'activityType',
  'startTime',
  'endTime',
  'duration',
  'definitionId',
  'occurrence',
  'tenantId',
];

/** Camunda's `HistoricActivityInstanceDto`. */
export function historicActivityInstanceDto(activity: HistoricActivityInstanceRecord) {
  return {
    id: activity.id,
    parentActivityInstanceId: activity.parentActivityInstanceId,
    activityId: activity.activityId,
    activityName: activity.activityName,
    activityType: activity.activityType,
    processDefinitionKey: activity.processDefinitionKey,
    processDefinitionId: activity.processDefinitionId,
    processInstanceId: activity.processInstanceId,
    executionId: activity.executionId,
    taskId: activity.taskId,
    calledProcessInstanceId: activity.calledProcessInstanceId,
    calledCaseInstanceId: null,
    assignee: activity.assignee,
    startTime: formatDate(activity.startTime),
    endTime: formatDate(activity.endTime),
    durationInMillis: activity.endTime ? activity.endTime.getTime() - activity.startTime.getTime() : null,
    canceled: activity.canceled,
    completeScope: activity.completeScope,
    tenantId: activity.tenantId,
    removalTime: null,
    rootProcessInstanceId: activity.rootProcessInstanceId,
  };
}

/** The filters of `GET /history/activity-instance` and its count. */
export function readHistoricActivityInstanceQuery(params: QueryParams): HistoricActivityInstanceQuery {
  return {
    activityInstanceId: params.string('activityInstanceId'),
    processInstanceId: params.string('processInstanceId'),
    processDefinitionId: params.string('processDefinitionId'),
    executionId: params.string('executionId'),
    activityId: params.string('activityId'),
    activityName: params.string('activityName'),
    activityType: params.string('activityType'),
    taskAssignee: params.string('taskAssignee'),
    finished: params.boolean('finished'),
    unfinished: params.boolean('unfinished'),
    canceled: params.boolean('canceled'),
    completeScope: params.boolean('completeScope'),
    startedBefore: params.date('startedBefore'),
    startedAfter: params.date('startedAfter'),
    finishedBefore: params.date('finishedBefore'),
    finishedAfter: params.date('finishedAfter'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
  };
}
