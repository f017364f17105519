import { Router } from 'express';
import { z } from 'zod';
import { BadUserRequestException, NotFoundException, ProcessEngineException } from '@libs/engine';
import {
  authenticatedUserId,
  errorAs,
  errorOverrides,
  InvalidRequestException,
  parseDate,
  parseRequest,
} from '@libs/http';
import type { Services } from '../common/services';
import { mountQueryEndpoints } from './query-endpoints';
import { batchDto } from './dto/batch.dto';
import { storedCount, storedId } from './dto/stored-fields';
import { JOB_SORT_KEYS, jobDto, readJobQueryBody, readJobQueryParams } from './dto/job.dto';

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

/** A REST date from a body field; `null` stays `null`, a malformed date is a 400. */
function bodyDate(value: string | null, field: string): Date | null {
  if (value === null) return null;
  const date = parseDate(value);
  if (date === undefined) {
    throw new InvalidRequestException(
      400,
      `Invalid request body: '${field}': Cannot convert value "${value}" to java type java.util.Date`,
    );
  }
  return date;
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
 * its retries or due date, and the message of its last failure.
 */
export function jobRoutes({ jobs }: Services): Router {
  const router = Router();

  mountQueryEndpoints(router, {
    sortKeys: JOB_SORT_KEYS,
    fromParams: readJobQueryParams,
    fromBody: readJobQueryBody,
    list: (query, page, sorting) => jobs.queryJobs(query, page, sorting),
    count: (query) => jobs.countJobs(query),
    toDto: jobDto,
  });

  // Camunda's `set-job-retries` batch: the jobs of `jobIds` and of `jobQuery`, chosen now.
  router.post('/retries', async (req, res) => {
    const body = parseRequest(retriesAsyncBody, req.body ?? {});
    if (body.retries === undefined || body.retries === null)
      throw new InvalidRequestException(400, 'retries is null');
    // Camunda answers 500 (a plain ProcessEngineException); bad input is a 400 here.
    if (body.retries < 0)
      throw new InvalidRequestException(400, 'Retries count is not greater than or equal to 0');
    const dueDate = 'dueDate' in body ? bodyDate(body.dueDate ?? null, 'dueDate') : undefined;
    const batch = await jobs.setRetriesAsync(
      {
        jobIds: body.jobIds ?? [],
        jobQuery: body.jobQuery ? readJobQueryBody(body.jobQuery).query : undefined,
        retries: body.retries,
        dueDate,
      },
      authenticatedUserId(res),
    );
    res.json(batchDto(batch));
  });

  router.get('/:id', async (req, res) => {
    const job = await jobs.getJob(req.params.id);
    if (!job) throw new InvalidRequestException(404, `Job with id ${req.params.id} does not exist`);
    res.json(jobDto(job));
  });

  router.get('/:id/stacktrace', async (req, res) => {
    const job = await jobs.getJob(req.params.id);
    if (!job) throw new InvalidRequestException(404, `No job found with id ${req.params.id}: job is null`);
    if (job.exceptionMessage === null) {
      throw new InvalidRequestException(404, `Job with id ${req.params.id} has no exception stacktrace`);
    }
    res.type('text/plain').send(job.exceptionStacktrace ?? job.exceptionMessage);
  });

  router.delete('/:id', notFoundAs404ElseInvalid, async (req, res) => {
    await jobs.delete(req.params.id);
    res.status(204).end();
  });

  router.post('/:id/execute', engineFailureAs404, async (req, res) => {
    await jobs.execute(req.params.id);
    res.status(204).end();
  });

  router.put('/:id/retries', notFoundAs404, async (req, res) => {
    const body = parseRequest(retriesBody, req.body ?? {});
    const dueDate = 'dueDate' in body ? bodyDate(body.dueDate ?? null, 'dueDate') : undefined;
    await jobs.setRetries(req.params.id, body.retries, dueDate);
    res.status(204).end();
  });

  router.put('/:id/duedate', notFoundAs404, async (req, res) => {
    const body = parseRequest(dueDateBody, req.body ?? {});
    // `cascade` moves later occurrences of cycle timers; only the first occurrence is scheduled here.
    await jobs.setDueDate(req.params.id, bodyDate(body.duedate ?? null, 'duedate'));
    res.status(204).end();
  });

  return router;
}
