import { z } from 'zod';
import {
  formatDate,
  InvalidRequestException,
  parseRequest,
  QueryParams,
  sortingBodySchema,
  type Sorting,
} from '@libs/http';
import {
  HISTORIC_DETAIL_SORT_COLUMNS,
  HISTORIC_VARIABLE_INSTANCE_SORT_COLUMNS,
  type HistoricDetailQuery,
  type HistoricDetailRecord,
  type HistoricDetailSortKey,
  type HistoricValue,
  type HistoricVariableInstanceQuery,
  type HistoricVariableInstanceRecord,
  type HistoricVariableInstanceSortKey,
} from '@libs/persistence';
import { readQueryBody } from './query-body';
import { variableDto } from './variables.dto';

export const HISTORIC_VARIABLE_INSTANCE_SORT_KEYS = Object.keys(
  HISTORIC_VARIABLE_INSTANCE_SORT_COLUMNS,
) as HistoricVariableInstanceSortKey[];
export const HISTORIC_DETAIL_SORT_KEYS = Object.keys(HISTORIC_DETAIL_SORT_COLUMNS) as HistoricDetailSortKey[];

/** `type`, `value`, `valueInfo` as Camunda renders them; a deletion's detail has no value. */
function valueDto({ type, value }: HistoricValue) {
  return value === null ? { type, value: null, valueInfo: {} } : variableDto(value);
}

/** Camunda's HistoricVariableInstanceDto (7.22); no case, task, error or removal time here. */
export function historicVariableInstanceDto(variable: HistoricVariableInstanceRecord) {
  const { type, value, valueInfo } = valueDto(variable.value);
  return {
    id: variable.id,
    name: variable.name,
    type,
    value,
    valueInfo,
    processDefinitionKey: variable.processDefinitionKey,
    processDefinitionId: variable.processDefinitionId,
    processInstanceId: variable.processInstanceId,
    executionId: variable.executionId,
    activityInstanceId: variable.activityInstanceId,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: null,
    tenantId: variable.tenantId,
    errorMessage: null,
    state: variable.state,
    createTime: formatDate(variable.createTime),
    removalTime: null,
    rootProcessInstanceId: variable.rootProcessInstanceId,
  };
}

/** Camunda's HistoricVariableUpdateDto (a HistoricDetailDto of type `variableUpdate`, 7.22). */
export function historicDetailDto(detail: HistoricDetailRecord) {
  const { type, value, valueInfo } = valueDto(detail.value);
  return {
    type: 'variableUpdate',
    id: detail.id,
    processDefinitionKey: detail.processDefinitionKey,
    processDefinitionId: detail.processDefinitionId,
    processInstanceId: detail.processInstanceId,
    activityInstanceId: detail.activityInstanceId,
    executionId: detail.executionId,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: null,
    tenantId: detail.tenantId,
    userOperationId: null,
    time: formatDate(detail.time),
    variableName: detail.variableName,
    variableInstanceId: detail.variableInstanceId,
    variableType: type,
    value,
    valueInfo,
    revision: detail.revision,
    errorMessage: null,
    removalTime: null,
    rootProcessInstanceId: detail.rootProcessInstanceId,
    initial: detail.initial,
  };
}

/** A list filter; Camunda ignores an empty one. */
const list = (params: QueryParams, name: string) => {
  const values = params.list(name);
  return values === undefined || values.length === 0 ? undefined : values;
};

/** Given at all, whatever its value (Camunda applies `formFields`, `caseInstanceId`, … when not null). */
const given = (params: QueryParams, name: string) => params.string(name) !== undefined;
const flagGiven = (params: QueryParams, name: string) => params.boolean(name) !== undefined;

/**
 * The filters of `/history/variable-instance` from GET parameters (or a body read as parameters, with
 * `variableValue` as given there). No variable here belongs to a task or a case: those filters match
 * nothing.
 */
export function readHistoricVariableInstanceQuery(
  params: QueryParams,
  variableValue: string | number | boolean | undefined = params.string('variableValue'),
): HistoricVariableInstanceQuery {
  const variableName = params.string('variableName');
  if (variableValue !== undefined && variableName === undefined) {
    throw new InvalidRequestException(
      400,
      'Only a single variable value parameter specified: variable name and value are required to be able to query after a specific variable value.',
    );
  }
  return {
    variableName,
    variableNameLike: params.string('variableNameLike'),
    variableNameIn: list(params, 'variableNameIn'),
    variableValue,
    variableNamesIgnoreCase: params.boolean('variableNamesIgnoreCase'),
    variableValuesIgnoreCase: params.boolean('variableValuesIgnoreCase'),
    variableTypeIn: list(params, 'variableTypeIn'),
    includeDeleted: params.boolean('includeDeleted'),
    processInstanceId: params.string('processInstanceId'),
    processInstanceIdIn: list(params, 'processInstanceIdIn'),
    processDefinitionId: params.string('processDefinitionId'),
    processDefinitionKey: params.string('processDefinitionKey'),
    executionIdIn: list(params, 'executionIdIn'),
    activityInstanceIdIn: list(params, 'activityInstanceIdIn'),
    tenantIdIn: list(params, 'tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    matchesNothing:
      given(params, 'caseInstanceId') ||
      ['taskIdIn', 'caseExecutionIdIn', 'caseActivityIdIn'].some((name) => list(params, name) !== undefined),
  };
}

const variableValueSchema = z
  .object({
    variableValue: z.union([z.string(), z.number().finite(), z.boolean()]).nullish(),
    sorting: sortingBodySchema(HISTORIC_VARIABLE_INSTANCE_SORT_KEYS),
  })
  .loose();

/** The JSON body of `POST /history/variable-instance` (and `/count`): `variableValue` a String, Number or Boolean. */
export function readHistoricVariableInstanceQueryBody(body: unknown): {
  query: HistoricVariableInstanceQuery;
  sorting: Sorting<HistoricVariableInstanceSortKey>[];
} {
  const what = 'request body';
  const params = QueryParams.fromBody(body, what, ['sorting', 'variableValue']);
  const { variableValue, sorting } = parseRequest(variableValueSchema, body ?? {}, what);
  return { query: readHistoricVariableInstanceQuery(params, variableValue ?? undefined), sorting };
}

/**
 * The filters of `/history/detail`: variable updates only (no form fields, task or case details exist
 * here). As in Camunda, `formFields` and `variableUpdates` apply whatever their value, the latter
 * last; `excludeTaskDetails` excludes nothing here.
 */
export function readHistoricDetailQuery(params: QueryParams): HistoricDetailQuery {
  const formFieldsOnly = flagGiven(params, 'formFields') && !flagGiven(params, 'variableUpdates');
  flagGiven(params, 'excludeTaskDetails');
  return {
    processInstanceId: params.string('processInstanceId'),
    processInstanceIdIn: list(params, 'processInstanceIdIn'),
    executionId: params.string('executionId'),
    activityInstanceId: params.string('activityInstanceId'),
    variableInstanceId: params.string('variableInstanceId'),
    variableTypeIn: list(params, 'variableTypeIn'),
    variableNameLike: params.string('variableNameLike'),
    tenantIdIn: list(params, 'tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    occurredBefore: params.date('occurredBefore'),
    occurredAfter: params.date('occurredAfter'),
    initial: params.boolean('initial'),
    matchesNothing:
      formFieldsOnly ||
      ['taskId', 'caseInstanceId', 'caseExecutionId', 'userOperationId'].some((name) => given(params, name)),
  };
}

/** The JSON body of `POST /history/detail`. */
export function readHistoricDetailQueryBody(body: unknown): {
  query: HistoricDetailQuery;
  sorting: Sorting<HistoricDetailSortKey>[];
} {
  return readQueryBody(body, HISTORIC_DETAIL_SORT_KEYS, readHistoricDetailQuery);
}
