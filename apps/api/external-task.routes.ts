import { type Response } from 'express';
import { z } from 'zod';
import {
  BadUserRequestException,
  InvalidVariableValueException,
  NotFoundException,
  SuspendedEntityInteractionException,
  type TriggerVariables,
} from '@libs/engine';
import { errorAs, errorOverrides, InvalidRequestException, parseRequest, RestException } from '@libs/http';
import type { Services } from '../common/services';
import { mountQueryEndpoints } from './query-endpoints';
import {
  EXTERNAL_TASK_SORT_KEYS,
  externalTaskDto,
  lockedExternalTaskDto,
  readExternalTaskQueryBody,
  readExternalTaskQueryParams,
  readFetchAndLock,
} from './dto/external-task.dto';
import { storedCount, storedDuration, storedName, storedText } from './dto/stored-fields';
import { readVariables } from './dto/variables.dto';
import { ApiRouter } from './openapi/api-router';
import { jsonObject } from './openapi/schemas';

const completeBody = z
  .object({
    workerId: storedName.nullish(),
    variables: z.unknown().optional(),
    localVariables: z.unknown().optional(),
  })
  .loose();
const failureBody = completeBody.extend({
  errorMessage: storedText.nullish(),
  errorDetails: z.string().nullish(),
  retries: storedCount.nullish(),
  retryTimeout: storedDuration.nullish(),
});

const bpmnErrorBody = z
  .object({
    workerId: storedName.nullish(),
    errorCode: z.string().nullish(),
    errorMessage: z.string().nullish(),
    variables: z.unknown().optional(),
  })
  .loose();

/**
 * `/external-task`: queries, one task, fetch-and-lock (with optional long polling) and the worker's
 * reports (complete, failure, BPMN error, unlock). Engine-side input errors Camunda answers with 500 (`workerId is
 * null`, negative retries, a suspended instance) are 400 here.
 */
export function externalTaskRoutes({ externalTasks }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'External Task' });

  mountQueryEndpoints(router, {
    resource: 'external tasks',
    item: jsonObject,
    sortKeys: EXTERNAL_TASK_SORT_KEYS,
    fromParams: readExternalTaskQueryParams,
    fromBody: readExternalTaskQueryBody,
    list: (query, page, sorting) => externalTasks.query(query, page, sorting),
    count: (query) => externalTasks.count(query),
    toDto: externalTaskDto,
  });

  router.post(
    '/fetchAndLock',
    { summary: 'Fetch and lock external tasks', responses: { 200: z.array(jsonObject) }, errors: [400] },
    async (req, res) => {
      const { request, asyncResponseTimeout } = readFetchAndLock(req.body);
      const locked = await externalTasks.fetchAndLock(request, {
        asyncResponseTimeout,
        signal: asyncResponseTimeout ? clientGone(res) : undefined,
      });
      res.json(locked.map(lockedExternalTaskDto));
    },
  );

  router.get(
    '/:id',
    { summary: 'Get an external task', responses: { 200: jsonObject }, errors: [404] },
    async (req, res) => {
      const task = await externalTasks.find(req.params.id);
      if (!task) throw new RestException(404, notFound(req.params.id));
      res.json(externalTaskDto(task));
    },
  );

  router.post(
    '/:id/complete',
    {
      summary: 'Complete an external task',
      body: jsonObject,
      responses: { 204: null },
      errors: [400, 404, 500],
    },
    reportFailures,
    async (req, res) => {
      const body = parseRequest(completeBody, req.body ?? {});
      const variables = readTriggerVariables(body);
      const workerId = requireWorkerId(body.workerId);
      await externalTasks.complete(req.params.id, workerId, variables);
      res.status(204).end();
    },
  );

  router.post(
    '/:id/failure',
    {
      summary: 'Report an external task failure',
      body: jsonObject,
      responses: { 204: null },
      errors: [400, 404, 500],
    },
    reportFailures,
    async (req, res) => {
      const body = parseRequest(failureBody, req.body ?? {});
      const variables = readTriggerVariables(body);
      const workerId = requireWorkerId(body.workerId);
      const retries = body.retries ?? 0;
      const retryTimeout = body.retryTimeout ?? 0;
      if (retries < 0) throw new InvalidRequestException(400, 'retries is not greater than or equal to 0');
      if (retryTimeout < 0) {
        throw new InvalidRequestException(400, 'retryDuration is not greater than or equal to 0');
      }
      await externalTasks.handleFailure(req.params.id, {
        workerId,
        errorMessage: body.errorMessage ?? null,
        retries,
        retryTimeout,
        ...variables,
      });
      res.status(204).end();
    },
  );

  router.post(
    '/:id/bpmnError',
    { summary: 'Report a BPMN error', body: jsonObject, responses: { 204: null }, errors: [400, 404, 500] },
    reportFailures,
    async (req, res) => {
      const body = parseRequest(bpmnErrorBody, req.body ?? {});
      const variables = readVariables(body.variables);
      const workerId = requireWorkerId(body.workerId);
      if (body.errorCode === undefined || body.errorCode === null) {
        throw new InvalidRequestException(400, 'errorCode is null');
      }
      await externalTasks.handleBpmnError(req.params.id, {
        workerId,
        errorCode: body.errorCode,
        errorMessage: body.errorMessage ?? null,
        variables,
      });
      res.status(204).end();
    },
  );

  router.post(
    '/:id/unlock',
    { summary: 'Unlock an external task', responses: { 204: null }, errors: [404] },
    reportFailures,
    async (req, res) => {
      await externalTasks.unlock(req.params.id);
      res.status(204).end();
    },
  );

  return router;
}

function notFound(id: string): string {
  return `External task with id ${id} does not exist`;
}

/**
 * Camunda's mapping in `ExternalTaskResourceImpl`, plus 400 for a suspended instance (Camunda: 500).
 * Variables that do not convert (read from the body) are a 400 InvalidRequestException with the code.
 */
const reportFailures = errorOverrides(
  errorAs(InvalidVariableValueException, { status: 400, keepCode: true }),
  errorAs(NotFoundException, {
    status: 404,
    type: 'RestException',
    keepCode: true,
    message: (_error, params) => notFound(params.id ?? ''),
  }),
  errorAs(BadUserRequestException, { status: 400, type: 'RestException', keepCode: true }),
  errorAs(SuspendedEntityInteractionException, { status: 400, keepCode: true }),
);

function requireWorkerId(workerId: string | null | undefined): string {
  if (workerId === undefined || workerId === null) throw new InvalidRequestException(400, 'workerId is null');
  return workerId;
}

/** `variables` and `localVariables` (see {@link reportFailures} for their conversion errors). */
function readTriggerVariables(body: { variables?: unknown; localVariables?: unknown }): TriggerVariables {
  return {
    variables: readVariables(body.variables),
    localVariables: readVariables(body.localVariables, 'localVariables'),
  };
}

/** Aborts when the client closes the connection before the (long-polling) answer is sent. */
function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
