import { z } from 'zod';
import {
  formatDate,
  invalidParameter,
  InvalidRequestException,
  parseRequest,
  QueryParams,
  sortingBodySchema,
  type Sorting,
} from '@libs/http';
import type {
  HistoricProcessInstanceQuery,
  HistoricProcessInstanceRecord,
  HistoricProcessInstanceSortKey,
  HistoricProcessInstanceState,
} from '@libs/persistence';

export const HISTORIC_PROCESS_INSTANCE_SORT_KEYS: readonly HistoricProcessInstanceSortKey[] = [
  'instanceId',
  'definitionId',
  'definitionKey',
  'definitionName',
  'definitionVersion',
  'businessKey',
  'startTime',
  'endTime',
  'duration',
  'tenantId',
];

/** Camunda's `HistoricProcessInstanceDto`. */
export function historicProcessInstanceDto(instance: HistoricProcessInstanceRecord) {
  return {
    id: instance.id,
    businessKey: instance.businessKey,
    processDefinitionId: instance.definitionId,
    processDefinitionKey: instance.definitionKey,
    processDefinitionName: instance.definitionName,
    processDefinitionVersion: instance.definitionVersion,
    startTime: formatDate(instance.startTime),
    endTime: formatDate(instance.endTime),
    removalTime: null,
    durationInMillis: instance.endTime ? instance.endTime.getTime() - instance.startTime.getTime() : null,
    startUserId: null,
    startActivityId: instance.startActivityId,
    deleteReason: instance.deleteReason,
    rootProcessInstanceId: instance.rootProcessInstanceId,
    superProcessInstanceId: instance.superProcessInstanceId,
    superCaseInstanceId: null,
    caseInstanceId: null,
    tenantId: instance.tenantId,
    state: instance.state,
    restartedProcessInstanceId: instance.restartedProcessInstanceId,
  };
}

/** Camunda's state flags, each naming one state; at most one may be given. */
const STATE_FLAGS: ReadonlyArray<[string, HistoricProcessInstanceState]> = [
  ['active', 'ACTIVE'],
  ['suspended', 'SUSPENDED'],
  ['completed', 'COMPLETED'],
  ['externallyTerminated', 'EXTERNALLY_TERMINATED'],
  ['internallyTerminated', 'INTERNALLY_TERMINATED'],
];
const STATES = new Set<string>(STATE_FLAGS.map(([, state]) => state));

/** The filters of `GET /history/process-instance` and its count. */
export function readHistoricProcessInstanceQuery(params: QueryParams): HistoricProcessInstanceQuery {
  return {
    processInstanceId: params.string('processInstanceId'),
    processInstanceIds: params.list('processInstanceIds'),
    processDefinitionId: params.string('processDefinitionId'),
    processDefinitionKey: params.string('processDefinitionKey'),
    processDefinitionKeyIn: params.list('processDefinitionKeyIn'),
    processDefinitionName: params.string('processDefinitionName'),
    processInstanceBusinessKey: params.string('processInstanceBusinessKey'),
    processInstanceBusinessKeyLike: params.string('processInstanceBusinessKeyLike'),
    finished: params.boolean('finished'),
    unfinished: params.boolean('unfinished'),
    startedBefore: params.date('startedBefore'),
    startedAfter: params.date('startedAfter'),
    finishedBefore: params.date('finishedBefore'),
    finishedAfter: params.date('finishedAfter'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    state: readState(params),
    superProcessInstanceId: params.string('superProcessInstanceId'),
    subProcessInstanceId: params.string('subProcessInstanceId'),
    rootProcessInstanceId: params.string('rootProcessInstanceId'),
  };
}

/** `state=<STATE>` or one of Camunda's flags (`completed=true`, …); asking for two states is a 400. */
function readState(params: QueryParams): HistoricProcessInstanceState | undefined {
  const text = params.string('state');
  if (text !== undefined && !STATES.has(text)) throw invalidParameter('state', text);
  const states = [
    ...(text === undefined ? [] : [text as HistoricProcessInstanceState]),
    ...STATE_FLAGS.filter(([flag]) => params.boolean(flag) === true).map(([, state]) => state),
  ];
  if (states.length > 1) {
    throw new InvalidRequestException(
      400,
      'Already querying for historic process instance with another state',
    );
  }
  return states[0];
}

const sortingOnly = z.object({ sorting: sortingBodySchema(HISTORIC_PROCESS_INSTANCE_SORT_KEYS) }).loose();

/**
 * The JSON body of `POST /history/process-instance` (and `/count`), and the `historicProcessInstanceQuery`
 * of operations on many instances: the same filters as the GET parameters, lists as arrays.
 */
export function readHistoricProcessInstanceQueryBody(
  body: unknown,
  what = 'request body',
): { query: HistoricProcessInstanceQuery; sorting: Sorting<HistoricProcessInstanceSortKey>[] } {
  const query = readHistoricProcessInstanceQuery(QueryParams.fromBody(body, what, ['sorting']));
  const { sorting } = parseRequest(sortingOnly, body ?? {}, what);
  return { query, sorting };
}
