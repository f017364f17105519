import type { Request } from 'express';
import { z } from 'zod';
import { BadUserRequestException, NotFoundException } from '@libs/engine';
import {
  authenticatedUserId,
  errorAs,
  errorOverrides,
  InvalidRequestException,
  parseRequest,
} from '@libs/http';
import { readSelection, type ExternalTaskRetriesSelection } from '@libs/runtime';
import type { Services } from '../common/services';
import { batchDto, batchDtoSchema } from './dto/batch.dto';
import { ApiRouter } from './openapi/api-router';
import { jsonObject } from './openapi/schemas';
import { readExternalTaskQueryBody } from './dto/external-task.dto';
import { selectionRequest } from './dto/instance-selection.dto';
import { storedCount, storedId } from './dto/stored-fields';

const retriesBody = z.object({ retries: storedCount.nullish() }).loose();

/** Camunda's `SetRetriesForExternalTasksDto`. */
const manyRetriesBody = z
  .object({
    retries: storedCount.nullish(),
    externalTaskIds: z.array(storedId.nullable()).nullish(),
    processInstanceIds: z.array(storedId.nullable()).nullish(),
    externalTaskQuery: z.unknown().optional(),
    processInstanceQuery: z.unknown().optional(),
    historicProcessInstanceQuery: z.unknown().optional(),
  })
  .loose();

/** `ExternalTaskResourceImpl.setRetries`: an unknown task is a 404 RestException with its own text. */
const oneTaskFailures = errorOverrides(
  errorAs(NotFoundException, {
    status: 404,
    type: 'RestException',
    message: (_error, params) => `External task with id ${params.id ?? ''} does not exist`,
  }),
);

/** `ExternalTaskRestServiceImpl.setRetries(Async)`: 404 and 400 InvalidRequestExceptions. */
const manyTaskFailures = errorOverrides(
  errorAs(NotFoundException, { status: 404 }),
  errorAs(BadUserRequestException, { status: 400 }),
);

/**
 * `PUT /external-task/{id}/retries`, `PUT /external-task/retries` (all at once) and
 * `POST /external-task/retries-async` (a `set-external-task-retries` batch).
 */
export function externalTaskRetriesRoutes({ externalTaskRetries }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'External Task' });

  const manyDoc = {
    summary: 'Set the retries of external tasks',
    body: jsonObject,
    responses: { 204: null },
    errors: [400, 404],
  };
  router.put('/retries', manyDoc, manyTaskFailures, async (req, res) => {
    const { selection, retries } = readManyRetries(req);
    await externalTaskRetries.setRetriesOfMany(selection, retries, authenticatedUserId(res));
    res.status(204).end();
  });

  const asyncDoc = {
    summary: 'Set the retries of external tasks as a batch',
    body: jsonObject,
    responses: { 200: batchDtoSchema },
    errors: [400, 404],
  };
  router.post('/retries-async', asyncDoc, manyTaskFailures, async (req, res) => {
    const { selection, retries } = readManyRetries(req);
    const batch = await externalTaskRetries.setRetriesAsync(selection, retries, authenticatedUserId(res));
    res.json(batchDto(batch));
  });

  const oneDoc = {
    summary: 'Set the retries of an external task',
    body: jsonObject,
    responses: { 204: null },
    errors: [400, 404],
  };
  router.put('/:id/retries', oneDoc, oneTaskFailures, async (req, res) => {
    const body = parseRequest(retriesBody, req.body ?? {});
    const retries = requireRetries(body.retries);
    await externalTaskRetries.setRetries(req.params.id, retries, authenticatedUserId(res));
    res.status(204).end();
  });

  return router;
}

function readManyRetries(req: Request): { selection: ExternalTaskRetriesSelection; retries: number } {
  const body = parseRequest(manyRetriesBody, req.body ?? {});
  const externalTaskQuery =
    body.externalTaskQuery === undefined || body.externalTaskQuery === null
      ? undefined
      : readExternalTaskQueryBody(body.externalTaskQuery).query;
  const instances = readSelection(
    selectionRequest(body.processInstanceIds, body.processInstanceQuery, body.historicProcessInstanceQuery),
    { empty: 'processInstanceIds is empty', containsNull: 'processInstanceIds contains null value' },
  );
  return {
    selection: { externalTaskIds: body.externalTaskIds ?? [], externalTaskQuery, instances },
    retries: requireRetries(body.retries),
  };
}

function requireRetries(retries: number | null | undefined): number {
  if (retries === undefined || retries === null) {
    throw new InvalidRequestException(400, 'The number of retries cannot be null.');
  }
  return retries;
}
