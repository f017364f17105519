import { Router } from 'express';
import { z } from 'zod';
import { InvalidRequestException, parseRequest } from '@libs/http';
import type { Services } from '../common/services';
import { storedCount } from './dto/stored-fields';

const retriesBody = z.object({ retries: storedCount }).loose();

/**
 * `/job-definition`: `PUT /job-definition/{id}/retries` gives the failed jobs (no retries left) of a
 * batch's execution-job definition new retries, so they run again: Camunda's way to retry a batch.
 */
export function jobDefinitionRoutes({ jobs }: Services): Router {
  const router = Router();
  router.put('/:id/retries', async (req, res) => {
    const { retries } = parseRequest(retriesBody, req.body ?? {});
    if (retries < 0)
      throw new InvalidRequestException(400, 'Retries count must be greater than or equal to 0');
    await jobs.setRetriesOfFailed(req.params.id, retries);
    res.status(204).end();
  });
  return router;
}
