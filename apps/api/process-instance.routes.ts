import { type Request } from 'express';
import { z } from 'zod';
import {
  activityInstanceTree,
  InvalidVariableValueException,
  NotFoundException,
  processInstanceNotFound,
  removeVariables,
  setVariables,
  visibleVariables,
  type ProcessInstanceState,
} from '@libs/engine';
import {
  authenticatedUserId,
  errorAs,
  errorOverrides,
  InvalidRequestException,
  parseRequest,
  QueryParams,
  readPage,
  type RouteParams,
} from '@libs/http';
import type { ProcessInstanceQuery } from '@libs/persistence';
import { readSelection, type SuspensionSelection } from '@libs/runtime';
import type { Services } from '../common/services';
import { mountQueryEndpoints } from './query-endpoints';
import { batchDtoSchema, instanceBatchDto, instanceBatchDtoSchema } from './dto/batch.dto';
import { activityInstanceDtoSchema } from './dto/activity-instance.dto';
import {
  PROCESS_INSTANCE_SORT_KEYS,
  processInstanceDto,
  processInstanceDtoSchema,
  processInstanceQueryParams,
  processInstanceQuerySchema,
  readProcessInstanceQueryBody,
  readProcessInstanceQueryParams,
} from './dto/process-instance.dto';
import { batchDto } from './dto/batch.dto';
import { storedCount, storedId, storedName, storedText } from './dto/stored-fields';
import {
  readVariables,
  variableDto,
  variableMapDto,
  variableMapSchema,
  variablesDto,
  variableValueDto,
} from './dto/variables.dto';
import { readHistoricSelection, selectionRequest } from './dto/instance-selection.dto';
import { readRetriesPlan } from './dto/job-retries.dto';
import { ApiRouter } from './openapi/api-router';

const deleteInstanceQuery = z.object({
  skipCustomListeners: z.boolean(),
  skipIoMappings: z.boolean(),
  skipSubprocesses: z.boolean(),
  failIfNotExists: z.boolean(),
  deleteReason: z.string(),
});
const suspendedBody = z.object({ suspended: z.boolean() }).loose();
/** `PUT /process-instance/suspended`: by definition, or a group by ids and query. */
const groupSuspendedBody = z
  .object({
    suspended: z.boolean().nullish(),
    processDefinitionId: storedId.nullish(),
    processDefinitionKey: storedId.nullish(),
    processDefinitionTenantId: storedId.nullish(),
    processDefinitionWithoutTenantId: z.boolean().nullish(),
    processInstanceIds: z.array(storedId).nullish(),
    processInstanceQuery: z.unknown().optional(),
    historicProcessInstanceQuery: z.unknown().optional(),
  })
  .loose();
const messageAsyncBody = z
  .object({
    messageName: storedName.nullish(),
    processInstanceIds: z.array(storedId.nullable()).nullish(),
    processInstanceQuery: z.unknown().optional(),
    historicProcessInstanceQuery: z.unknown().optional(),
    variables: z.unknown().optional(),
  })
  .loose();
const variablesAsyncBody = z
  .object({
    processInstanceIds: z.array(storedId.nullable()).nullish(),
    processInstanceQuery: z.unknown().optional(),
    historicProcessInstanceQuery: z.unknown().optional(),
    variables: z.unknown().optional(),
  })
  .loose();
/** Camunda's messages for a selection with a `null` id (no instance at all is answered before). */
const SELECTION_MESSAGES = {
  empty: 'processInstanceIds is empty',
  containsNull: 'processInstanceIds contains null value',
};
const jobRetriesBody = z
  .object({
    processInstances: z.array(storedId.nullable()).nullish(),
    processInstanceQuery: z.unknown().optional(),
    historicProcessInstanceQuery: z.unknown().optional(),
    retries: storedCount.nullish(),
    dueDate: z.string().nullish(),
  })
  .loose();
const deleteAsyncBody = z
  .object({
    processInstanceIds: z.array(storedId).nullish(),
    processInstanceQuery: z.unknown().optional(),
    historicProcessInstanceQuery: z.unknown().optional(),
    deleteReason: storedText.nullish(),
  })
  .loose();
const modificationsBody = z
  .object({ modifications: z.unknown().optional(), deletions: z.array(z.string()).nullish() })
  .loose();

/** At most this many batches of one instance are answered unless `maxResults` asks otherwise. */
const INSTANCE_BATCHES_LIMIT = 100;

/**
 * `/process-instance`: queries (GET with parameters, POST with a JSON body), one instance, its
 * activity-instance tree, its variables, suspension and deletion.
 */
export function processInstanceRoutes({
  runtime,
  incidents,
  deletions,
  suspensions,
  instanceBatches,
  jobs,
  batchReports,
}: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Process Instance' });

  /** A running instance's state, or 404 as Camunda answers. */
  const running = async (req: Request<{ id: string }>): Promise<ProcessInstanceState> => {
    const state = await runtime.load(req.params.id);
    if (!state) throw new InvalidRequestException(404, processInstanceNotFound(req.params.id).message);
    return state;
  };
  mountQueryEndpoints(router, {
    resource: 'process instances',
    item: processInstanceDtoSchema,
    query: processInstanceQueryParams,
    body: processInstanceQuerySchema,
    sortKeys: PROCESS_INSTANCE_SORT_KEYS,
    fromParams: readProcessInstanceQueryParams,
    fromBody: (body) => readProcessInstanceQueryBody(body),
    list: (query, page, sorting) => runtime.queryInstances(query, page, sorting),
    count: (query) => runtime.countInstances(query),
    toDto: (instance) => processInstanceDto(instance),
  });

  router.post(
    '/message-async',
    {
      summary: 'Correlate a message to process instances (batch)',
      body: messageAsyncBody,
      responses: { 200: batchDtoSchema },
      errors: [400],
    },
    cannotSetVariables,
    async (req, res) => {
      const body = parseRequest(messageAsyncBody, req.body ?? {});
      const variables = readVariables(body.variables);
      if (!isGiven(body.messageName)) throw new InvalidRequestException(400, 'messageName is null');
      const { processInstanceIds, processInstanceQuery, historicProcessInstanceQuery } = body;
      if (![processInstanceIds, processInstanceQuery, historicProcessInstanceQuery].some(isGiven)) {
        throw new InvalidRequestException(400, 'No process instances found.');
      }
      const selection = readSelection(
        selectionRequest(processInstanceIds, processInstanceQuery, historicProcessInstanceQuery),
        SELECTION_MESSAGES,
      );
      const batch = await instanceBatches.correlateMessageAsync(
        { messageName: body.messageName!, variables, selection },
        authenticatedUserId(res),
      );
      res.json(batchDto(batch));
    },
  );

  router.post(
    '/variables-async',
    {
      summary: 'Set variables on process instances (batch)',
      body: variablesAsyncBody,
      responses: { 200: batchDtoSchema },
      errors: [400],
    },
    cannotSetVariables,
    async (req, res) => {
      const body = parseRequest(variablesAsyncBody, req.body ?? {});
      if (!isGiven(body.variables)) throw new InvalidRequestException(400, 'variables is null');
      const variables = readVariables(body.variables);
      const { processInstanceIds, processInstanceQuery, historicProcessInstanceQuery } = body;
      if (![processInstanceIds, processInstanceQuery, historicProcessInstanceQuery].some(isGiven)) {
        throw new InvalidRequestException(400, 'No process instances found.');
      }
      const selection = readSelection(
        selectionRequest(processInstanceIds, processInstanceQuery, historicProcessInstanceQuery),
        SELECTION_MESSAGES,
      );
      const batch = await instanceBatches.setVariablesAsync(
        { variables, selection },
        authenticatedUserId(res),
      );
      res.json(batchDto(batch));
    },
  );

  // Camunda's `set-job-retries` batch over the jobs of instances: by ids and a runtime query, or by
  // ids and a historic query.
  for (const [path, queryField] of [
    ['/job-retries', 'processInstanceQuery'],
    ['/job-retries-historic-query-based', 'historicProcessInstanceQuery'],
  ] as const) {
    router.post(
      path,
      {
        summary: "Set the retries of process instances' jobs (batch)",
        body: jobRetriesBody,
        responses: { 200: batchDtoSchema },
        errors: [400],
      },
      async (req, res) => {
        const body = parseRequest(jobRetriesBody, req.body ?? {});
        const plan = readRetriesPlan(body);
        const query = queryField === 'processInstanceQuery' ? body.processInstanceQuery : undefined;
        const historic =
          queryField === 'historicProcessInstanceQuery' ? body.historicProcessInstanceQuery : undefined;
        const selection = readSelection(
          selectionRequest(body.processInstances, query, historic),
          SELECTION_MESSAGES,
        );
        res.json(batchDto(await jobs.setRetriesOfInstancesAsync(selection, plan, authenticatedUserId(res))));
      },
    );
  }

  router.post(
    '/delete',
    {
      summary: 'Delete process instances (batch)',
      body: deleteAsyncBody,
      responses: { 200: batchDtoSchema },
      errors: [400],
    },
    async (req, res) => {
      const body = parseRequest(deleteAsyncBody, req.body ?? {});
      const query = body.processInstanceQuery
        ? readProcessInstanceQueryBody(body.processInstanceQuery, 'processInstanceQuery').query
        : undefined;
      const batch = await deletions.deleteAsync(
        {
          processInstanceIds: body.processInstanceIds ?? [],
          processInstanceQuery: query,
          historicProcessInstanceQuery: readHistoricSelection(body.historicProcessInstanceQuery),
          deleteReason: body.deleteReason ?? null,
        },
        authenticatedUserId(res),
      );
      res.json(batchDto(batch));
    },
  );

  router.put(
    '/suspended',
    {
      summary: 'Activate or suspend process instances',
      body: groupSuspendedBody,
      responses: { 204: null },
      errors: [400],
    },
    async (req, res) => {
      const body = parseRequest(groupSuspendedBody, req.body ?? {});
      const byDefinition = [body.processDefinitionId, body.processDefinitionKey].filter(isGiven).length;
      const byGroup = [
        body.processInstanceIds,
        body.processInstanceQuery,
        body.historicProcessInstanceQuery,
      ].filter(isGiven).length;
      if (byDefinition >= 1 && byGroup >= 1) {
        throw new InvalidRequestException(
          400,
          'Choose either a single processInstance with processDefinitionId or processDefinitionKey or a group of processInstances with processInstanceIds, procesInstanceQuery or historicProcessInstanceQuery.',
        );
      }
      if (byDefinition > 1) {
        throw new InvalidRequestException(
          400,
          'Only one of processDefinitionId or processDefinitionKey should be set to update the suspension state.',
        );
      }
      if (byDefinition === 0 && byGroup === 0) {
        throw new InvalidRequestException(
          400,
          'Either processDefinitionId or processDefinitionKey should be set to update the suspension state.',
        );
      }
      const selection =
        byDefinition === 1
          ? { processInstanceIds: [], processInstanceQuery: definitionSelection(body) }
          : groupSelection(body);
      await suspensions.setSuspensionOfGroup(selection, body.suspended === true);
      res.status(204).end();
    },
  );

  router.post(
    '/suspended-async',
    {
      summary: 'Activate or suspend process instances (batch)',
      body: groupSuspendedBody,
      responses: { 200: batchDtoSchema },
      errors: [400],
    },
    async (req, res) => {
      const body = parseRequest(groupSuspendedBody, req.body ?? {});
      if (
        ![body.processInstanceIds, body.processInstanceQuery, body.historicProcessInstanceQuery].some(isGiven)
      ) {
        throw new InvalidRequestException(
          400,
          'Either processInstanceIds, processInstanceQuery or historicProcessInstanceQuery should be set to update the suspension state.',
        );
      }
      const batch = await suspensions.setSuspensionAsync(
        groupSelection(body),
        body.suspended === true,
        authenticatedUserId(res),
      );
      res.json(batchDto(batch));
    },
  );

  router.get(
    '/:id',
    { summary: 'Get a process instance', responses: { 200: processInstanceDtoSchema }, errors: [400, 404] },
    async (req, res) => {
      res.json(processInstanceDto(await running(req), req));
    },
  );

  router.delete(
    '/:id',
    {
      summary: 'Delete a process instance',
      query: deleteInstanceQuery,
      responses: { 204: null },
      errors: [404],
    },
    instanceNotFound404,
    async (req, res) => {
      const params = QueryParams.of(req);
      await deletions.delete(req.params.id, {
        deleteReason: params.string('deleteReason') ?? null,
        failIfNotExists: params.boolean('failIfNotExists') ?? true,
      });
      res.status(204).end();
    },
  );

  router.get(
    '/:id/activity-instances',
    {
      summary: "A process instance's activity instance tree",
      responses: { 200: activityInstanceDtoSchema },
      errors: [404],
    },
    async (req, res) => {
      const state = await running(req);
      const open = await incidents.ofInstance(state.id);
      res.json(activityInstanceTree(await runtime.model(state.definitionId), state, open));
    },
  );

  // Beyond Camunda: the batches this instance was an item of (running or ended), newest first.
  router.get(
    '/:id/batches',
    {
      summary: 'The batches a process instance was an item of',
      beyondCamunda: true,
      responses: { 200: z.array(instanceBatchDtoSchema) },
      errors: [400],
    },
    async (req, res) => {
      const limit = readPage(QueryParams.of(req)).limit ?? INSTANCE_BATCHES_LIMIT;
      const batches = await batchReports.batchesOfInstance(req.params.id, limit);
      res.json(batches.map(instanceBatchDto));
    },
  );

  router.get(
    '/:id/variables',
    { summary: "A process instance's variables", responses: { 200: variableMapDto }, errors: [404] },
    async (req, res) => {
      res.json(variablesDto(visibleVariables(await running(req), req.params.id)));
    },
  );
  router.post(
    '/:id/variables',
    {
      summary: "Update a process instance's variables",
      body: modificationsBody,
      responses: { 204: null },
      errors: [400, 404],
    },
    instanceNotFound404,
    async (req, res) => {
      const body = parseRequest(modificationsBody, req.body ?? {});
      const variables = readVariables(body.modifications, 'modifications');
      const deletions = body.deletions ?? [];
      await runtime.update(req.params.id, (model, state, ctx) => {
        const set = setVariables(model, state, { variables }, ctx);
        return deletions.length === 0
          ? set
          : mergeResults(set, removeVariables(model, set.state, { names: deletions }, ctx));
      });
      res.status(204).end();
    },
  );
  router.get(
    '/:id/variables/:name',
    { summary: "One of a process instance's variables", responses: { 200: variableValueDto }, errors: [404] },
    async (req, res) => {
      const value = visibleVariables(await running(req), req.params.id)[req.params.name];
      if (!value) {
        throw new InvalidRequestException(
          404,
          `process instance variable with name ${req.params.name} does not exist`,
        );
      }
      res.json(variableDto(value));
    },
  );
  router.put(
    '/:id/variables/:name',
    {
      summary: "Set a process instance's variable",
      body: variableMapSchema._zod.def.valueType as z.ZodType,
      responses: { 204: null },
      errors: [400, 404],
    },
    instanceNotFound404,
    async (req, res) => {
      const variables = readVariables({ [req.params.name]: req.body ?? {} });
      await runtime.update(req.params.id, (model, state, ctx) =>
        setVariables(model, state, { variables }, ctx),
      );
      res.status(204).end();
    },
  );
  router.delete(
    '/:id/variables/:name',
    { summary: "Delete a process instance's variable", responses: { 204: null }, errors: [400, 404] },
    instanceNotFound404,
    async (req, res) => {
      await runtime.update(req.params.id, (model, state, ctx) =>
        removeVariables(model, state, { names: [req.params.name] }, ctx),
      );
      res.status(204).end();
    },
  );

  router.put(
    '/:id/suspended',
    {
      summary: 'Activate or suspend a process instance',
      body: suspendedBody,
      responses: { 204: null },
      errors: [400, 404],
    },
    instanceNotFound404,
    async (req, res) => {
      const { suspended } = parseRequest(suspendedBody, req.body ?? {});
      await suspensions.setSuspension(req.params.id, suspended);
      res.status(204).end();
    },
  );

  return router;
}

type GroupSuspension = z.infer<typeof groupSuspendedBody>;

const isGiven = (value: unknown): boolean => value !== undefined && value !== null;

/** The running instances of a definition by id, or by key (with its tenant options). */
function definitionSelection(body: GroupSuspension): ProcessInstanceQuery {
  if (body.processDefinitionId) return { processDefinitionId: body.processDefinitionId };
  return {
    processDefinitionKey: body.processDefinitionKey!,
    ...(body.processDefinitionTenantId ? { tenantIdIn: [body.processDefinitionTenantId] } : {}),
    ...(body.processDefinitionWithoutTenantId ? { processDefinitionWithoutTenantId: true } : {}),
  };
}

/** Explicit ids, a `processInstanceQuery` and a `historicProcessInstanceQuery` (their union). */
function groupSelection(body: GroupSuspension): SuspensionSelection {
  return {
    processInstanceIds: body.processInstanceIds ?? [],
    processInstanceQuery: isGiven(body.processInstanceQuery)
      ? readProcessInstanceQueryBody(body.processInstanceQuery, 'processInstanceQuery').query
      : undefined,
    historicProcessInstanceQuery: readHistoricSelection(body.historicProcessInstanceQuery),
  };
}

/** The engine's error for the instance `params.id` names: it is not running. */
function isInstanceNotFound(error: unknown, params: RouteParams): boolean {
  return error instanceof NotFoundException && error.entity === 'processInstance' && error.id === params.id;
}

/** Camunda's REST layer rewords a variable it cannot convert for `variables-async`. */
const cannotSetVariables = errorOverrides(
  errorAs(InvalidVariableValueException, {
    status: 400,
    message: (error) => `Cannot set variables: ${error.message}`,
  }),
);

/** Camunda answers an update of an instance that is not running with 404 (the engine's error is a 400). */
const instanceNotFound404 = errorOverrides(
  errorAs(NotFoundException, { when: isInstanceNotFound, status: 404 }),
);

function mergeResults(
  first: { effects: readonly unknown[] },
  second: ReturnType<typeof removeVariables>,
): ReturnType<typeof removeVariables> {
  return { state: second.state, effects: [...(first.effects as typeof second.effects), ...second.effects] };
}
