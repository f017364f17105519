import { z } from 'zod';
import {
  BadUserRequestException,
  NotFoundException,
  ProcessEngineException,
  SuspendedEntityInteractionException,
  TaskAlreadyClaimedException,
} from '@libs/engine';
import {
  engineErrorStatus,
  errorAs,
  errorOverrides,
  InvalidRequestException,
  parseRequest,
  RestException,
  type ErrorOverride,
} from '@libs/http';
import type { Services } from '../common/services';
import { mountQueryEndpoints } from './query-endpoints';
import { readTaskQueryBody, readTaskQueryParams, TASK_SORT_KEYS, taskDto } from './dto/task.dto';
import { storedName } from './dto/stored-fields';
import { readVariables, variableDto, variablesDto, variableValueDto } from './dto/variables.dto';
import { ApiRouter } from './openapi/api-router';
import { jsonObject } from './openapi/schemas';

const completeBody = z
  .object({ variables: z.unknown().optional(), withVariablesInReturn: z.boolean().nullish() })
  .loose();
const userIdBody = z.object({ userId: storedName.nullish() }).loose();

/**
 * `/task`: queries (GET with parameters, POST with a JSON body), one task, completion, claim, unclaim,
 * assignee and the variables a task sees. Deliberate deviations from Camunda, which answers 500 for
 * these: an unknown (or already completed) task is a 404, a task claimed by someone else or one of a
 * suspended instance is a 400.
 */
export function taskRoutes({ tasks }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Task' });

  mountQueryEndpoints(router, {
    resource: 'tasks',
    item: jsonObject,
    sortKeys: TASK_SORT_KEYS,
    fromParams: readTaskQueryParams,
    fromBody: readTaskQueryBody,
    list: (query, page, sorting) => tasks.query(query, page, sorting),
    count: (query) => tasks.count(query),
    toDto: taskDto,
  });

  router.get(
    '/:id',
    { summary: 'Get a task', responses: { 200: jsonObject }, errors: [404] },
    async (req, res) => {
      const task = await tasks.find(req.params.id);
      if (!task) throw new InvalidRequestException(404, `No matching task with id ${req.params.id}`);
      res.json(taskDto(task));
    },
  );

  router.post(
    '/:id/complete',
    {
      summary: 'Complete a task',
      body: jsonObject,
      errors: [400, 404, 500],
      responses: { 200: z.record(z.string(), variableValueDto), 204: null },
    },
    completionFailures,
    async (req, res) => {
      const { id } = req.params;
      const body = parseRequest(completeBody, req.body ?? {});
      const processVariables = await tasks.complete(id, readVariables(body.variables));
      if (body.withVariablesInReturn) res.json(variablesDto(processVariables));
      else res.status(204).end();
    },
  );

  router.post(
    '/:id/claim',
    { summary: 'Claim a task', body: jsonObject, responses: { 204: null }, errors: [400, 404, 500] },
    assignmentFailures,
    async (req, res) => {
      const { userId } = parseRequest(userIdBody, req.body ?? {});
      await tasks.claim(req.params.id, userId ?? null);
      res.status(204).end();
    },
  );
  router.post(
    '/:id/unclaim',
    { summary: 'Unclaim a task', responses: { 204: null }, errors: [404] },
    assignmentFailures,
    async (req, res) => {
      await tasks.setAssignee(req.params.id, null);
      res.status(204).end();
    },
  );
  router.post(
    '/:id/assignee',
    { summary: "Set a task's assignee", body: jsonObject, responses: { 204: null }, errors: [400, 404, 500] },
    assignmentFailures,
    async (req, res) => {
      const { userId } = parseRequest(userIdBody, req.body ?? {});
      await tasks.setAssignee(req.params.id, userId ?? null);
      res.status(204).end();
    },
  );

  router.get(
    '/:id/variables',
    {
      summary: "A task's variables",
      responses: { 200: z.record(z.string(), variableValueDto) },
      errors: [404, 500],
    },
    async (req, res) => {
      res.json(variablesDto(await visibleFrom(req.params.id)));
    },
  );
  router.get(
    '/:id/variables/:name',
    { summary: "One of a task's variables", responses: { 200: variableValueDto }, errors: [404] },
    async (req, res) => {
      const value = (await visibleFrom(req.params.id))[req.params.name];
      if (!value) {
        throw new InvalidRequestException(404, `task variable with name ${req.params.name} does not exist`);
      }
      res.json(variableDto(value));
    },
  );

  const visibleFrom = async (taskId: string) => {
    const variables = await tasks.variables(taskId);
    if (!variables) throw new InvalidRequestException(404, `task ${taskId} doesn't exist: task is null`);
    return variables;
  };

  return router;
}

/** Camunda's `Cannot complete task <id>: <reason>`, with this service's status for the reason. */
function completing<E extends Error>(
  status: ErrorOverride<E>['status'],
  type?: string,
): Omit<ErrorOverride<E>, 'error'> {
  return {
    status,
    type,
    keepCode: true,
    message: (error, params) => `Cannot complete task ${params.id}: ${error.message}`,
  };
}
const completionFailures = errorOverrides(
  errorAs(RestException, { ...completing((error) => error.status), keepCode: false }),
  errorAs(NotFoundException, completing(404)),
  errorAs(BadUserRequestException, completing(400)),
  errorAs(SuspendedEntityInteractionException, completing(400)),
  errorAs(ProcessEngineException, completing(engineErrorStatus, 'RestException')),
);

/** Engine errors of claim/unclaim/assignee with the status this service answers (Camunda: 500). */
const assignmentFailures = errorOverrides(
  errorAs(NotFoundException, { status: 404, keepCode: true }),
  errorAs(TaskAlreadyClaimedException, { status: 400, keepCode: true }),
  errorAs(SuspendedEntityInteractionException, { status: 400, keepCode: true }),
);
