import { z } from 'zod';
import { bodyDate, readRetriesPlan } from './dto/job-retries.dto';
import { BadUserRequestException, NotFoundException, ProcessEngineException } from '@libs/engine';
import {
  authenticatedUserId,
  errorAs,
  errorOverrides,
  InvalidRequestException,
  parseRequest,
  RestException,
} from '@libs/http';
import type { JobSelector } from '@libs/persistence';
import type { Services } from '../common/services';
import { mountQueryEndpoints } from './query-endpoints';
import { batchDto, batchDtoSchema } from './dto/batch.dto';
import { storedCount, storedId } from './dto/stored-fields';
import { JOB_SORT_KEYS, jobDto, readJobQueryBody, readJobQueryParams } from './dto/job.dto';
import { ApiRouter, TEXT } from './openapi/api-router';
import { jsonObject } from './openapi/schemas';

const retriesBody = z.object({ retries: storedCount, dueDate: z.string().nullish() }).loose();
const dueDateBody = z.object({ duedate: z.string().nullish(), cascade: z.boolean().nullish() }).loose();
const retriesAsyncBody = z
  .object({
    jobIds: z.array(storedId).nullish(),
    jobQuery: z.record(z.string(), z.unknown()).nullish(),
    retries: storedCount.nullish(),
    dueDate: z.string().nullish(),
  })
  .loose();

const priorityBody = z.object({ priority: z.number().int().nullish() }).loose();
const jobSuspensionBody = z
  .object({
    // Camunda's SuspensionStateDto holds a primitive: a missing `suspended` means activate.
    suspended: z.boolean().nullish(),
    jobId: z.string().nullish(),
    jobDefinitionId: z.string().nullish(),
    processInstanceId: z.string().nullish(),
    processDefinitionId: z.string().nullish(),
    processDefinitionKey: z.string().nullish(),
    processDefinitionTenantId: z.string().nullish(),
    processDefinitionWithoutTenantId: z.boolean().nullish(),
  })
  .loose();

/**
 * The jobs a suspension request names: exactly one of `jobId` (the path's), `jobDefinitionId`,
 * `processInstanceId`, `processDefinitionId`, `processDefinitionKey` (with its tenant), with Camunda's
 * messages.
 */
function jobSelectorOf(body: z.infer<typeof jobSuspensionBody>): JobSelector {
  const { jobId, jobDefinitionId, processInstanceId, processDefinitionId, processDefinitionKey } = body;
  const given = [jobId, jobDefinitionId, processInstanceId, processDefinitionId, processDefinitionKey].filter(
    (value) => value !== undefined && value !== null,
  ).length;
  if (given !== 1) {
    throw new InvalidRequestException(
      400,
      given > 1
        ? 'Only one of jobId, jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.'
        : 'Either jobId, jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.',
    );
  }
  if (jobId) return { jobId };
  if (jobDefinitionId) return { jobDefinitionIds: [jobDefinitionId] };
  if (processInstanceId) return { processInstanceId };
  if (processDefinitionId) return { processDefinitionId };
  const tenantId =
    body.processDefinitionTenantId ?? (body.processDefinitionWithoutTenantId ? null : undefined);
  return { processDefinitionKey: processDefinitionKey!, tenantId };
}

/** Engine "not found" errors of a job id are Camunda's 404 (Camunda itself answers 500 for some). */
const notFoundAs404 = errorOverrides(errorAs(NotFoundException, { status: 404 }));
/** Deleting: an unknown job is a 404, a job that cannot be deleted (a timer) a 400. */
const notFoundAs404ElseInvalid = errorOverrides(
  errorAs(NotFoundException, { status: 404 }),
  errorAs(BadUserRequestException, { status: 400 }),
);
/** Camunda answers every engine failure of executing a job with 404 and the engine's message. */
const engineFailureAs404 = errorOverrides(errorAs(ProcessEngineException, { status: 404 }));

/**
 * `/job`: queries (GET with parameters, POST with a JSON body), one job, executing it now, setting
 * its retries, due date or priority, suspending or activating jobs, and the message of its last failure.
 */
export function jobRoutes({ jobs }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Job' });

  mountQueryEndpoints(router, {
    resource: 'jobs',
    item: jsonObject,
    sortKeys: JOB_SORT_KEYS,
    fromParams: readJobQueryParams,
    fromBody: readJobQueryBody,
    list: (query, page, sorting) => jobs.queryJobs(query, page, sorting),
    count: (query) => jobs.countJobs(query),
    toDto: jobDto,
  });

  // Camunda's `set-job-retries` batch: the jobs of `jobIds` and of `jobQuery`, chosen now.
  router.post(
    '/retries',
    {
      summary: 'Set job retries (batch)',
      body: jsonObject,
      responses: { 200: batchDtoSchema },
      errors: [400],
    },
    async (req, res) => {
      const body = parseRequest(retriesAsyncBody, req.body ?? {});
      const plan = readRetriesPlan(body);
      const batch = await jobs.setRetriesAsync(
        {
          jobIds: body.jobIds ?? [],
          jobQuery: body.jobQuery ? readJobQueryBody(body.jobQuery).query : undefined,
          ...plan,
        },
        authenticatedUserId(res),
      );
      res.json(batchDto(batch));
    },
  );

  router.put(
    '/suspended',
    { summary: 'Activate or suspend jobs', body: jsonObject, responses: { 204: null }, errors: [400] },
    async (req, res) => {
      const body = parseRequest(jobSuspensionBody, req.body ?? {});
      if (body.jobId !== undefined && body.jobId !== null) {
        throw new InvalidRequestException(
          400,
          'Either jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey can be set to update the suspension state.',
        );
      }
      await jobs.setSuspended(jobSelectorOf(body), body.suspended ?? false);
      res.status(204).end();
    },
  );

  router.get(
    '/:id',
    { summary: 'Get a job', responses: { 200: jsonObject }, errors: [404] },
    async (req, res) => {
      const job = await jobs.getJob(req.params.id);
      if (!job) throw new InvalidRequestException(404, `Job with id ${req.params.id} does not exist`);
      res.json(jobDto(job));
    },
  );

  router.get(
    '/:id/stacktrace',
    { summary: "A job's stack trace", responses: { 200: TEXT }, errors: [404] },
    async (req, res) => {
      const job = await jobs.getJob(req.params.id);
      if (!job) throw new InvalidRequestException(404, `No job found with id ${req.params.id}: job is null`);
      if (job.exceptionMessage === null) {
        throw new InvalidRequestException(404, `Job with id ${req.params.id} has no exception stacktrace`);
      }
      res.type('text/plain').send(job.exceptionStacktrace ?? job.exceptionMessage);
    },
  );

  router.delete(
    '/:id',
    { summary: 'Delete a job', responses: { 204: null }, errors: [400, 404] },
    notFoundAs404ElseInvalid,
    async (req, res) => {
      await jobs.delete(req.params.id);
      res.status(204).end();
    },
  );

  router.post(
    '/:id/execute',
    { summary: 'Execute a job', responses: { 204: null }, errors: [404, 500] },
    engineFailureAs404,
    async (req, res) => {
      await jobs.execute(req.params.id);
      res.status(204).end();
    },
  );

  router.put(
    '/:id/retries',
    { summary: "Set a job's retries", body: jsonObject, responses: { 204: null }, errors: [400, 404] },
    notFoundAs404,
    async (req, res) => {
      const body = parseRequest(retriesBody, req.body ?? {});
      const dueDate = 'dueDate' in body ? bodyDate(body.dueDate ?? null, 'dueDate') : undefined;
      await jobs.setRetries(req.params.id, body.retries, dueDate);
      res.status(204).end();
    },
  );

  router.put(
    '/:id/suspended',
    { summary: 'Activate or suspend a job', body: jsonObject, responses: { 204: null }, errors: [400, 404] },
    async (req, res) => {
      const body = parseRequest(jobSuspensionBody, req.body ?? {});
      await jobs.setSuspended(jobSelectorOf({ ...body, jobId: req.params.id }), body.suspended ?? false);
      res.status(204).end();
    },
  );

  router.put(
    '/:id/priority',
    { summary: "Set a job's priority", body: jsonObject, responses: { 204: null }, errors: [400, 404] },
    notFoundAs404,
    async (req, res) => {
      const { priority } = parseRequest(priorityBody, req.body ?? {});
      if (priority === undefined || priority === null)
        throw new RestException(400, `Priority for job '${req.params.id}' cannot be null.`);
      await jobs.setPriority(req.params.id, priority);
      res.status(204).end();
    },
  );

  router.put(
    '/:id/duedate',
    { summary: "Set a job's due date", body: jsonObject, responses: { 204: null }, errors: [400, 404] },
    notFoundAs404,
    async (req, res) => {
      const body = parseRequest(dueDateBody, req.body ?? {});
      // `cascade` moves later occurrences of cycle timers; only the first occurrence is scheduled here.
      await jobs.setDueDate(req.params.id, bodyDate(body.duedate ?? null, 'duedate'));
      res.status(204).end();
    },
  );

  return router;
}
