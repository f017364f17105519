import { formatDate, QueryParams, readPage, readSorting } from '@libs/http';
import type { UserOperationLogQuery, UserOperationLogRecord } from '@libs/persistence';
import type { Services } from '../common/services';
import { z } from 'zod';
import { ApiRouter } from './openapi/api-router';
import { countResultDto, jsonObject } from './openapi/schemas';

/** Camunda's `UserOperationLogEntryDto`: one property change of an operation. */
export function userOperationLogEntryDto(entry: UserOperationLogRecord) {
  return {
    id: entry.id,
    deploymentId: entry.deploymentId,
    processDefinitionId: entry.processDefinitionId,
    processDefinitionKey: entry.processDefinitionKey,
    processInstanceId: entry.processInstanceId,
    executionId: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: null,
    externalTaskId: null,
    batchId: entry.batchId,
    jobId: null,
    jobDefinitionId: null,
    userId: entry.userId,
    timestamp: formatDate(entry.timestamp),
    operationId: entry.operationId,
    operationType: entry.operationType,
    entityType: entry.entityType,
    property: entry.property,
    orgValue: entry.orgValue,
    newValue: entry.newValue,
    removalTime: null,
    rootProcessInstanceId: entry.processInstanceId,
    category: entry.category,
    annotation: entry.annotation,
    tenantId: entry.tenantId,
  };
}

function readQuery(params: QueryParams): UserOperationLogQuery {
  return {
    processInstanceId: params.string('processInstanceId'),
    processDefinitionId: params.string('processDefinitionId'),
    processDefinitionKey: params.string('processDefinitionKey'),
    operationType: params.string('operationType'),
    entityType: params.string('entityType'),
    userId: params.string('userId'),
    afterTimestamp: params.date('afterTimestamp'),
    beforeTimestamp: params.date('beforeTimestamp'),
  };
}

/** `/history/user-operation`: the user operation log, filtered, sorted by timestamp, paged. */
export function userOperationLogRoutes({ operationLog }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'History' });
  router.get(
    '/',
    { summary: 'List user operation log entries', responses: { 200: z.array(jsonObject) }, errors: [400] },
    async (req, res) => {
      const params = QueryParams.of(req);
      const entries = await operationLog.query(
        readQuery(params),
        readPage(params),
        readSorting(params, ['timestamp']),
      );
      res.json(entries.map(userOperationLogEntryDto));
    },
  );
  router.get(
    '/count',
    { summary: 'Count user operation log entries', responses: { 200: countResultDto }, errors: [400] },
    async (req, res) => {
      res.json({ count: await operationLog.count(readQuery(QueryParams.of(req))) });
    },
  );
  return router;
}
