import { z } from 'zod';
import { BadUserRequestException, NotFoundException } from '@libs/engine';
import { errorAs, errorOverrides, InvalidRequestException, parseRequest } from '@libs/http';
import type { JobDefinitionSelector } from '@libs/persistence';
import type { Services } from '../common/services';
import { mountQueryEndpoints } from './query-endpoints';
import { storedCount } from './dto/stored-fields';
import {
  JOB_DEFINITION_SORT_KEYS,
  jobDefinitionDto,
  jobDefinitionDtoSchema,
  readJobDefinitionQueryBody,
  readJobDefinitionQueryParams,
} from './dto/job-definition.dto';
import { ApiRouter } from './openapi/api-router';
import { jsonObject } from './openapi/schemas';

const retriesBody = z.object({ retries: storedCount }).loose();
const suspensionBody = z
  .object({
    // Camunda's SuspensionStateDto holds a primitive: a missing `suspended` means activate.
    suspended: z.boolean().nullish(),
    includeJobs: z.boolean().nullish(),
    executionDate: z.string().nullish(),
    jobDefinitionId: z.string().nullish(),
    processDefinitionId: z.string().nullish(),
    processDefinitionKey: z.string().nullish(),
    processDefinitionTenantId: z.string().nullish(),
    processDefinitionWithoutTenantId: z.boolean().nullish(),
  })
  .loose();
const priorityBody = z
  .object({ priority: z.number().int().nullish(), includeJobs: z.boolean().nullish() })
  .loose();

type SuspensionBody = z.infer<typeof suspensionBody>;

/** Unknown job definitions are Camunda's 404; a batch's job definition cannot be changed here (400). */
const definitionErrors = errorOverrides(
  errorAs(NotFoundException, { status: 404 }),
  errorAs(BadUserRequestException, { status: 400 }),
);

/**
 * Which job definitions a suspension request names: exactly one of `jobDefinitionId`,
 * `processDefinitionId`, `processDefinitionKey` (with its tenant), with Camunda's messages.
 */
function selectorOf(body: SuspensionBody): JobDefinitionSelector {
  const given = [body.jobDefinitionId, body.processDefinitionId, body.processDefinitionKey].filter(
    (value) => value !== undefined && value !== null,
  ).length;
  if (given > 1) {
    throw new InvalidRequestException(
      400,
      'Only one of jobDefinitionId, processDefinitionId or processDefinitionKey should be set to update the suspension state.',
    );
  }
  if (given === 0) {
    throw new InvalidRequestException(
      400,
      'Either jobDefinitionId, processDefinitionId or processDefinitionKey should be set to update the suspension state.',
    );
  }
  if (body.jobDefinitionId) return { jobDefinitionId: body.jobDefinitionId };
  if (body.processDefinitionId) return { processDefinitionId: body.processDefinitionId };
  const tenantId =
    body.processDefinitionTenantId ?? (body.processDefinitionWithoutTenantId ? null : undefined);
  return { processDefinitionKey: body.processDefinitionKey!, tenantId };
}

/**
 * Camunda delays the change to `executionDate` with a job of its own; here it is refused (400), so a
 * caller never believes a change is scheduled when it is not.
 */
function refuseExecutionDate(body: SuspensionBody): void {
  if (body.executionDate !== undefined && body.executionDate !== null && body.executionDate !== '') {
    throw new InvalidRequestException(
      400,
      'executionDate is not supported: job definitions are suspended or activated at once (omit executionDate)',
    );
  }
}

/**
 * `/job-definition`: queries (process definitions' asynchronous continuations and timers, batches'
 * seed, monitor and execution jobs), one definition, suspension (by id, process definition id or key,
 * with or without its jobs), the overriding job priority, and new retries for its failed jobs.
 */
export function jobDefinitionRoutes({ jobs, jobDefinitions }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Job Definition' });

  mountQueryEndpoints(router, {
    resource: 'job definitions',
    item: jobDefinitionDtoSchema,
    sortKeys: JOB_DEFINITION_SORT_KEYS,
    fromParams: readJobDefinitionQueryParams,
    fromBody: readJobDefinitionQueryBody,
    list: (query, page, sorting) => jobDefinitions.query(query, page, sorting),
    count: (query) => jobDefinitions.count(query),
    toDto: jobDefinitionDto,
  });

  router.put(
    '/suspended',
    {
      summary: 'Activate or suspend job definitions',
      body: jsonObject,
      responses: { 204: null },
      errors: [400],
    },
    definitionErrors,
    async (req, res) => {
      const body = parseRequest(suspensionBody, req.body ?? {});
      if (body.jobDefinitionId !== undefined && body.jobDefinitionId !== null) {
        throw new InvalidRequestException(
          400,
          'Either processDefinitionId or processDefinitionKey can be set to update the suspension state.',
        );
      }
      const selector = selectorOf(body);
      refuseExecutionDate(body);
      await jobDefinitions.setSuspended({
        selector,
        suspended: body.suspended ?? false,
        includeJobs: body.includeJobs ?? false,
      });
      res.status(204).end();
    },
  );

  router.get(
    '/:id',
    { summary: 'Get a job definition', responses: { 200: jobDefinitionDtoSchema }, errors: [404] },
    async (req, res) => {
      const definition = await jobDefinitions.get(req.params.id);
      if (!definition) {
        throw new InvalidRequestException(404, `Job Definition with id ${req.params.id} does not exist`);
      }
      res.json(jobDefinitionDto(definition));
    },
  );

  router.put(
    '/:id/suspended',
    {
      summary: 'Activate or suspend a job definition',
      body: jsonObject,
      responses: { 204: null },
      errors: [400, 404],
    },
    definitionErrors,
    async (req, res) => {
      const body = parseRequest(suspensionBody, req.body ?? {});
      const selector = selectorOf({ ...body, jobDefinitionId: req.params.id });
      refuseExecutionDate(body);
      await jobDefinitions.setSuspended({
        selector,
        suspended: body.suspended ?? false,
        includeJobs: body.includeJobs ?? false,
      });
      res.status(204).end();
    },
  );

  router.put(
    '/:id/jobPriority',
    {
      summary: "Set a job definition's job priority",
      body: jsonObject,
      responses: { 204: null },
      errors: [400, 404],
    },
    definitionErrors,
    async (req, res) => {
      const body = parseRequest(priorityBody, req.body ?? {});
      const priority = body.priority ?? null;
      const includeJobs = body.includeJobs ?? false;
      if (priority === null && includeJobs) {
        throw new InvalidRequestException(
          400,
          `Cannot reset priority for job definition ${req.params.id} with includeJobs=true`,
        );
      }
      await jobDefinitions.setOverridingPriority(req.params.id, priority, includeJobs);
      res.status(204).end();
    },
  );

  // The failed jobs (no retries left) of any job definition get new retries and run again; with a
  // batch's execution-job definition this is Camunda's way to retry a batch.
  router.put(
    '/:id/retries',
    {
      summary: "Set the retries of a job definition's jobs",
      body: jsonObject,
      responses: { 204: null },
      errors: [400, 404],
    },
    async (req, res) => {
      const { retries } = parseRequest(retriesBody, req.body ?? {});
      if (retries < 0)
        throw new InvalidRequestException(400, 'Retries count must be greater than or equal to 0');
      await jobs.setRetriesOfFailed(req.params.id, retries);
      res.status(204).end();
    },
  );
  return router;
}
