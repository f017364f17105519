import { type Request } from 'express';
import { z } from 'zod';
import { InvalidVariableValueException, ProcessEngineException, visibleVariables } from '@libs/engine';
import {
  authenticatedUserId,
  declareErrorOverrides,
  engineErrorStatus,
  errorAs,
  InvalidRequestException,
  parseRequest,
  QueryParams,
  readPage,
  readSorting,
  RestException,
  type ErrorOverride,
} from '@libs/http';
import type {
  ProcessDefinitionQuery,
  ProcessDefinitionRecord,
  ProcessDefinitionSortKey,
  StatisticsOptions,
  StatisticsRecord,
} from '@libs/persistence';
import type { RepositoryService } from '@libs/runtime';
import type { Services } from '../common/services';
import { instructionsSchema, readStartInstructions } from './dto/modification.dto';
import { processInstanceDto } from './dto/process-instance.dto';
import { storedName } from './dto/stored-fields';
import { readVariables, variablesDto } from './dto/variables.dto';
import { ApiRouter } from './openapi/api-router';
import { countResultDto, jsonObject } from './openapi/schemas';

/** Camunda's `StartProcessInstanceDto`. */
const startBody = z
  .object({
    businessKey: storedName.nullish(),
    variables: z.unknown().optional(),
    withVariablesInReturn: z.boolean().nullish(),
    startInstructions: instructionsSchema,
    skipCustomListeners: z.boolean().nullish(),
    skipIoMappings: z.boolean().nullish(),
  })
  .loose();

const SORT_KEYS: readonly ProcessDefinitionSortKey[] = [
  'id',
  'key',
  'name',
  'version',
  'deploymentId',
  'tenantId',
  'versionTag',
  'category',
];

export function definitionDto(definition: ProcessDefinitionRecord) {
  return {
    id: definition.id,
    key: definition.key,
    category: definition.category,
    description: null,
    name: definition.name,
    version: definition.version,
    resource: definition.resourceName,
    deploymentId: definition.deploymentId,
    diagram: null,
    suspended: definition.suspended,
    tenantId: definition.tenantId,
    versionTag: definition.versionTag,
    historyTimeToLive: definition.historyTimeToLive,
    startableInTasklist: definition.startableInTasklist,
  };
}

/**
 * `/process-definition`: list, count, by id, latest by key (without tenant, or with `/tenant-id/{t}`),
 * and the BPMN XML. The sub-routes that act on a definition (start, …) are mounted by their own modules
 * with `resolveDefinition`.
 */
export function processDefinitionRoutes({ repository, runtime, statistics }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Process Definition' });

  router.get(
    '/statistics',
    { summary: 'Process definition statistics', responses: { 200: z.array(jsonObject) }, errors: [400] },
    async (req, res) => {
      const params = QueryParams.of(req);
      const options = statisticsOptions(params, params.boolean('rootIncidents'));
      const results = await statistics.definitionStatistics(options);
      res.json(
        results.map((result) => ({ ...statisticsDto(result), definition: definitionDto(result.definition) })),
      );
    },
  );

  router.get(
    '/',
    { summary: 'List process definitions', responses: { 200: z.array(jsonObject) }, errors: [400] },
    async (req, res) => {
      const params = QueryParams.of(req);
      const definitions = await repository.queryDefinitions(
        definitionQuery(params),
        readPage(params),
        readSorting(params, SORT_KEYS),
      );
      res.json(definitions.map(definitionDto));
    },
  );

  router.get(
    '/count',
    { summary: 'Count process definitions', responses: { 200: countResultDto }, errors: [400] },
    async (req, res) => {
      res.json({ count: await repository.countDefinitions(definitionQuery(QueryParams.of(req))) });
    },
  );

  /** Deletes definitions (`cascade`; the skip options are accepted: deletion runs neither). */
  const deleteDefinitions = async (req: Request, definitions: readonly ProcessDefinitionRecord[]) => {
    const params = QueryParams.of(req);
    params.boolean('skipCustomListeners');
    params.boolean('skipIoMappings');
    await repository.deleteDefinitions(definitions, { cascade: params.boolean('cascade') ?? false, runtime });
  };
  router.delete(
    '/:id',
    { summary: 'Delete a process definition', responses: { 204: null }, errors: [404] },
    async (req, res) => {
      const definition = await repository.getDefinition(req.params.id);
      if (!definition) {
        throw new InvalidRequestException(
          404,
          `No process definition found with id '${req.params.id}': processDefinition is null`,
        );
      }
      await deleteDefinitions(req, [definition]);
      res.status(204).end();
    },
  );
  for (const path of ['/key/:key/tenant-id/:tenantId', '/key/:key']) {
    router.delete(
      path,
      { summary: 'Delete process definitions by key', responses: { 204: null }, errors: [404] },
      async (req, res) => {
        const { key, tenantId } = req.params as { key: string; tenantId?: string };
        const definitions = await repository.queryDefinitions({
          key,
          ...(tenantId === undefined ? { withoutTenantId: true } : { tenantIdIn: [tenantId] }),
        });
        if (definitions.length === 0) {
          throw new InvalidRequestException(
            404,
            `No process definition found with key '${key}': processDefinitions is empty`,
          );
        }
        await deleteDefinitions(req, definitions);
        res.status(204).end();
      },
    );
  }

  for (const path of ['/key/:key/tenant-id/:tenantId', '/key/:key', '/:id']) {
    router.get(
      path,
      { summary: 'Get a process definition', responses: { 200: jsonObject }, errors: [400, 404] },
      async (req, res) => {
        res.json(definitionDto(await resolveDefinition(repository, req)));
      },
    );
    router.get(
      `${path}/statistics`,
      {
        summary: "A process definition's activity statistics",
        responses: { 200: z.array(jsonObject) },
        errors: [400, 404],
      },
      async (req, res) => {
        // By id Camunda does not look the definition up: an unknown id has no statistics.
        const byId = (req.params as { id?: string }).id;
        const definitionId = byId ?? (await resolveDefinition(repository, req)).id;
        const options = statisticsOptions(QueryParams.of(req));
        res.json((await statistics.activityStatistics(definitionId, options)).map(statisticsDto));
      },
    );
    router.get(
      `${path}/xml`,
      {
        summary: "A process definition's BPMN XML",
        responses: { 200: z.object({ id: z.string(), bpmn20Xml: z.string() }) },
        errors: [400, 404],
      },
      async (req, res) => {
        const definition = await resolveDefinition(repository, req);
        res.json({ id: definition.id, bpmn20Xml: await repository.definitionXml(definition) });
      },
    );
    router.post(
      `${path}/start`,
      {
        summary: 'Start a process instance',
        body: jsonObject,
        responses: { 200: jsonObject },
        errors: [400, 404, 500],
      },
      async (req, res) => {
        const definition = await resolveDefinition(repository, req);
        const body = parseRequest(startBody, req.body ?? {});
        declareErrorOverrides(req, res, ...instantiationFailures(definition.id));
        const variables = readVariables(body.variables);
        const [instance] = await runtime.start(definition, [
          {
            businessKey: body.businessKey ?? null,
            variables,
            initiatorId: authenticatedUserId(res),
            startInstructions: readStartInstructions(body.startInstructions ?? []),
            skipCustomListeners: body.skipCustomListeners ?? false,
            skipIoMappings: body.skipIoMappings ?? false,
          },
        ]);
        const dto = processInstanceDto(
          { ...instance!, ended: instance!.state !== 'ACTIVE' },
          req,
          `${restBase(req)}/process-instance`,
        );
        res.json(
          body.withVariablesInReturn
            ? { ...dto, variables: variablesDto(visibleVariables(instance!, instance!.id)) }
            : dto,
        );
      },
    );
  }

  return router;
}

/**
 * The statistics query parameters (`failedJobs`, `incidents`, `incidentsForType`, and for definitions
 * `rootIncidents`: every incident here is its own root cause), with Camunda's 400s for combinations.
 */
function statisticsOptions(params: QueryParams, rootIncidents?: boolean): StatisticsOptions {
  const incidents = params.boolean('incidents');
  const incidentsForType = params.string('incidentsForType');
  const only = (a: string, b: string) =>
    new InvalidRequestException(400, `Only one of the query parameter ${a} or ${b} can be set.`);
  if (incidents !== undefined && incidentsForType !== undefined) throw only('incidents', 'incidentsForType');
  if (incidents !== undefined && rootIncidents !== undefined) throw only('incidents', 'rootIncidents');
  if (rootIncidents !== undefined && incidentsForType !== undefined) {
    throw only('rootIncidents', 'incidentsForType');
  }
  return {
    failedJobs: params.boolean('failedJobs') === true,
    incidents:
      incidents === true || rootIncidents === true
        ? { kind: 'all' }
        : incidentsForType !== undefined
          ? { kind: 'type', type: incidentsForType }
          : { kind: 'none' },
  };
}

/** Camunda's `StatisticsResultDto`: `failedJobs` 0 and `incidents` empty when not asked for. */
function statisticsDto(record: StatisticsRecord) {
  return {
    id: record.id,
    instances: record.instances,
    failedJobs: record.failedJobs,
    incidents: record.incidents.map(({ incidentType, incidentCount }) => ({ incidentType, incidentCount })),
  };
}

function cannotInstantiate(definitionId: string, reason: string): string {
  return `Cannot instantiate process definition ${definitionId}: ${reason}`;
}

/**
 * Camunda's `startProcessInstance` words every failure of reading the variables and instructions and
 * of starting as "Cannot instantiate process definition <id>: …": variables that do not parse or
 * convert and instructions without their element are a 400 InvalidRequestException, an engine error
 * a RestException with the engine error's status and code.
 */
function instantiationFailures(definitionId: string): ErrorOverride[] {
  const message = (error: Error) => cannotInstantiate(definitionId, error.message);
  return [
    errorAs(InvalidRequestException, {
      when: (error: InvalidRequestException) => error.part === 'variables' || error.part === 'instructions',
      status: 400,
      message,
    }),
    errorAs(InvalidVariableValueException, { status: 400, message, keepCode: true }),
    errorAs(ProcessEngineException, {
      status: engineErrorStatus,
      type: 'RestException',
      message,
      keepCode: true,
    }),
  ];
}

/**
 * The definition a request names: `:id`, or the latest version of `:key` (for `:tenantId`, or without
 * tenant). Unknown → 404 with Camunda's messages.
 */
export async function resolveDefinition(
  repository: RepositoryService,
  req: Request,
): Promise<ProcessDefinitionRecord> {
  const { id, key, tenantId } = req.params as { id?: string; key?: string; tenantId?: string };
  if (key !== undefined) {
    const definition = await repository.latestDefinition(key, tenantId ?? null);
    if (definition) return definition;
    const tenant = tenantId === undefined ? 'no tenant-id' : `tenant-id: ${tenantId}`;
    throw new RestException(404, `No matching process definition with key: ${key} and ${tenant}`);
  }
  const definition = id === undefined ? undefined : await repository.getDefinition(id);
  if (!definition) throw new InvalidRequestException(404, `No matching definition with id ${id ?? ''}`);
  return definition;
}

/** The REST root this request came through (`/engine-rest` or `/engine-rest/engine/default`). */
function restBase(req: Request): string {
  return req.baseUrl.replace(/\/process-definition$/, '');
}

function definitionQuery(params: QueryParams): ProcessDefinitionQuery {
  const active = params.boolean('active');
  return {
    id: params.string('processDefinitionId'),
    idIn: params.list('processDefinitionIdIn'),
    key: params.string('key'),
    keyIn: params.list('keysIn') ?? params.list('keyIn'),
    keyLike: params.string('keyLike'),
    name: params.string('name'),
    nameLike: params.string('nameLike'),
    deploymentId: params.string('deploymentId'),
    version: params.integer('version'),
    latestVersion: params.boolean('latestVersion'),
    resourceName: params.string('resourceName'),
    versionTag: params.string('versionTag'),
    startableInTasklist:
      params.boolean('startableInTasklist') === true
        ? true
        : params.boolean('notStartableInTasklist') === true
          ? false
          : undefined,
    suspended: params.boolean('suspended') === true ? true : active === true ? false : undefined,
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    includeProcessDefinitionsWithoutTenantId: params.boolean('includeProcessDefinitionsWithoutTenantId'),
  };
}
