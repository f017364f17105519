import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { InvalidRequestException, parseRequest, QueryParams, readPage, readSorting } from '@libs/http';
import {
  BATCH_STATES,
  type BatchItemState,
  type BatchOverviewQuery,
  type BatchQuery,
  type BatchSortKey,
  type BatchState,
  type HistoricBatchSortKey,
} from '@libs/persistence';
import type { Services } from '../common/services';
import type { BatchReports } from '@libs/batch';
import {
  batchDto,
  batchDtoSchema,
  batchItemDto,
  batchItemDtoSchema,
  batchOverviewDtoSchema,
  batchProgressDtoSchema,
  batchStatisticsDtoSchema,
  batchTimelineDtoSchema,
  failedItemDtoSchema,
  failureGroupDtoSchema,
  historicBatchDtoSchema,
  batchOverviewDto,
  batchProgressDto,
  failedItemDto,
  batchStatisticsDto,
  batchTimelineDto,
  failureGroupDto,
  historicBatchDto,
} from './dto/batch.dto';
import { ShortLivedCache } from './short-lived-cache';
import { ApiRouter, type OperationDoc } from './openapi/api-router';
import { camundaDate, commaList, countResultDto } from './openapi/schemas';

const suspendedBody = z.object({ suspended: z.boolean() }).loose();
const ITEM_STATES: readonly BatchItemState[] = ['pending', 'done', 'failed', 'skipped'];
const batchQueryParams = z.object({
  batchId: z.string(),
  type: z.string(),
  tenantIdIn: commaList,
  withoutTenantId: z.boolean(),
  suspended: z.boolean(),
  createdBy: z.string(),
  startedBefore: camundaDate,
  startedAfter: camundaDate,
  withFailures: z.boolean(),
  withoutFailures: z.boolean(),
  sortBy: z.string(),
  sortOrder: z.enum(['asc', 'desc']),
  firstResult: z.int(),
  maxResults: z.int(),
});
const overviewQueryParams = z.object({
  type: z.string(),
  createdBy: z.string(),
  state: z.enum(BATCH_STATES),
  firstResult: z.int(),
  maxResults: z.int(),
});
const cascadeQuery = z.object({ cascade: z.boolean() });
const itemsQuery = z.object({ state: z.enum(['pending', 'done', 'failed', 'skipped']) });
const givenUpDtoSchema = z.object({ skippedItems: z.int(), deletedJobs: z.int() });

/**
 * How long this process shares a batch status answer among its requests. Dashboards poll a running
 * batch's statistics and items; measured with 50 of them (`npm run bench batch`), sharing answers for
 * this long keeps the polls cheap and the batch's throughput, at the price of answers up to this old.
 */
export const BATCH_STATUS_CACHE_MS = 500;

function batchQuery(params: QueryParams): BatchQuery {
  return {
    batchId: params.string('batchId'),
    type: params.string('type'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    suspended: params.boolean('suspended'),
  };
}

function statisticsQuery(params: QueryParams): BatchQuery {
  return {
    ...batchQuery(params),
    createdBy: params.string('createdBy'),
    startedBefore: params.date('startedBefore'),
    startedAfter: params.date('startedAfter'),
    withFailures: params.boolean('withFailures'),
    withoutFailures: params.boolean('withoutFailures'),
  };
}

/**
 * `/batch`: list, count, statistics, one batch, suspension, deletion, and its items with outcomes.
 * Reads are answered through a {@link ShortLivedCache} keyed by path and query; a change made here
 * clears it.
 */
export function batchRoutes(
  { batches, batchReports, batchFailures }: Services,
  cacheMs = BATCH_STATUS_CACHE_MS,
): ApiRouter {
  const router = new ApiRouter({ tag: 'Batch' });
  const cache = new ShortLivedCache(cacheMs);
  // Once a change made here is answered, the next read of it loads afresh.
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET') res.on('finish', () => cache.clear());
    next();
  });
  /** A read answered from the cache; one that fails (400, 404) is not kept. */
  const read = <D extends z.ZodType>(
    path: string,
    doc: OperationDoc & { responses: { 200: D } },
    answer: (req: Request) => Promise<z.infer<D>>,
  ) =>
    router.get(path, doc, async (req, res) => {
      res.json(await cache.get(req.url, () => answer(req)));
    });

  read(
    '/',
    {
      summary: 'List batches',
      query: batchQueryParams,
      responses: { 200: z.array(batchDtoSchema) },
      errors: [400],
    },
    async (req) => {
      const params = QueryParams.of(req);
      const sorting = readSorting<BatchSortKey>(params, ['batchId', 'tenantId']);
      return (await batches.query(batchQuery(params), readPage(params), sorting)).map(batchDto);
    },
  );
  read(
    '/count',
    { summary: 'Count batches', query: batchQueryParams, responses: { 200: countResultDto }, errors: [400] },
    async (req) => ({ count: await batches.count(batchQuery(QueryParams.of(req))) }),
  );
  // Also answers `/statistics/` (express matches a trailing slash).
  read(
    '/statistics',
    {
      summary: 'List batches with statistics',
      query: batchQueryParams,
      responses: { 200: z.array(batchStatisticsDtoSchema) },
      errors: [400],
    },
    async (req) => {
      const params = QueryParams.of(req);
      const sorting = readSorting<BatchSortKey>(params, ['batchId', 'tenantId', 'startTime']);
      return (await batches.query(statisticsQuery(params), readPage(params), sorting)).map(
        batchStatisticsDto,
      );
    },
  );
  read(
    '/statistics/count',
    {
      summary: 'Count batches with statistics',
      query: batchQueryParams,
      responses: { 200: countResultDto },
      errors: [400],
    },
    async (req) => ({
      count: await batches.count(statisticsQuery(QueryParams.of(req))),
    }),
  );

  // Beyond Camunda, for the console: running and ended batches newest first, with state and progress.
  read(
    '/overview',
    {
      summary: 'Running and ended batches with state and progress, newest first',
      beyondCamunda: true,
      query: overviewQueryParams,
      responses: { 200: z.array(batchOverviewDtoSchema) },
      errors: [400],
    },
    async (req) => {
      const params = QueryParams.of(req);
      return (await batchReports.overview(overviewQuery(params), readPage(params))).map(batchOverviewDto);
    },
  );
  read(
    '/overview/count',
    {
      summary: 'Count the batch overview',
      beyondCamunda: true,
      query: overviewQueryParams,
      responses: { 200: countResultDto },
      errors: [400],
    },
    async (req) => ({
      count: await batchReports.countOverview(overviewQuery(QueryParams.of(req))),
    }),
  );

  read('/:id', { summary: 'Get a batch', responses: { 200: batchDtoSchema }, errors: [404] }, async (req) => {
    const batch = await batches.get(String(req.params.id));
    if (!batch) throw new InvalidRequestException(404, `Batch with id '${req.params.id}' does not exist`);
    return batchDto(batch);
  });
  router.put(
    '/:id/suspended',
    {
      summary: 'Activate or suspend a batch',
      body: suspendedBody,
      responses: { 204: null },
      errors: [400],
    },
    async (req, res) => {
      const { suspended } = parseRequest(suspendedBody, req.body ?? {});
      await batches.setSuspended(req.params.id, suspended);
      res.status(204).end();
    },
  );
  router.delete(
    '/:id',
    { summary: 'Delete a batch', query: cascadeQuery, responses: { 204: null }, errors: [400] },
    async (req, res) => {
      await batches.delete(req.params.id, QueryParams.of(req).boolean('cascade') ?? false);
      res.status(204).end();
    },
  );

  read(
    '/:id/items',
    {
      summary: "A batch's items and their outcomes",
      beyondCamunda: true,
      query: itemsQuery,
      responses: { 200: z.array(batchItemDtoSchema) },
      errors: [400, 404],
    },
    async (req) => {
      const id = String(req.params.id);
      const params = QueryParams.of(req);
      const items = await batches.items(id, itemState(params), readPage(params));
      // Only an empty page needs to know whether the batch has items at all.
      if (items.length === 0 && (await batches.countItems(id)) === 0)
        throw new InvalidRequestException(404, `Batch with id '${id}' has no items`);
      const [batch] = await batches.historic({ batchId: id });
      return items.map((item) => batchItemDto(item, batch?.type));
    },
  );
  read(
    '/:id/items/count',
    {
      summary: "Count a batch's items",
      beyondCamunda: true,
      query: itemsQuery,
      responses: { 200: countResultDto },
      errors: [400],
    },
    async (req) => ({
      count: await batches.countItems(String(req.params.id), itemState(QueryParams.of(req))),
    }),
  );
  read(
    '/:id/progress',
    {
      summary: "A batch's progress over its items",
      beyondCamunda: true,
      responses: { 200: batchProgressDtoSchema },
      errors: [404],
    },
    (req) => progressOf(batchReports, String(req.params.id)),
  );
  read(
    '/:id/progress/timeline',
    {
      summary: "A batch's rate over time",
      beyondCamunda: true,
      responses: { 200: batchTimelineDtoSchema },
      errors: [404],
    },
    async (req) => {
      const timeline = await batchReports.timeline(String(req.params.id));
      if (timeline === undefined) throw noBatch(String(req.params.id));
      return batchTimelineDto(timeline);
    },
  );
  read(
    '/:id/failures',
    {
      summary: "A batch's failures grouped by reason",
      beyondCamunda: true,
      responses: { 200: z.array(failureGroupDtoSchema) },
      errors: [400, 404],
    },
    async (req) => {
      const id = String(req.params.id);
      const groups = await batchReports.failures(id, readPage(QueryParams.of(req)));
      if (groups === undefined) throw noBatch(id);
      const [batch] = await batches.historic({ batchId: id });
      return groups.map((group) => failureGroupDto(group, batch!.type));
    },
  );
  // Beyond Camunda: retry the failed jobs holding one group of failures (or all), e.g. once fixed.
  router.post(
    '/:id/failures/retry',
    {
      summary: 'Retry the failed jobs of one group of failures (or all)',
      beyondCamunda: true,
      body: failureGroupBody,
      responses: { 200: z.object({ retriedJobs: z.number().int() }) },
      errors: [400, 404],
    },
    async (req, res) => {
      const { reason } = parseRequest(failureGroupBody, req.body ?? {});
      const retriedJobs = await batchFailures.retry(req.params.id, reason ?? undefined);
      if (retriedJobs === undefined) throw noBatch(req.params.id);
      res.json({ retriedJobs });
    },
  );
  // Beyond Camunda: give up one group of failures (or all): the items are skipped, emptied jobs deleted.
  router.post(
    '/:id/failures/delete',
    {
      summary: 'Give up one group of failures (or all)',
      beyondCamunda: true,
      body: failureGroupBody,
      responses: { 200: givenUpDtoSchema },
      errors: [400, 404],
    },
    async (req, res) => {
      const { reason } = parseRequest(failureGroupBody, req.body ?? {});
      const givenUp = await batchFailures.giveUp(req.params.id, reason ?? undefined);
      if (givenUp === undefined) throw noBatch(req.params.id);
      res.json(givenUp);
    },
  );
  read(
    '/:id/failures/items',
    {
      summary: "A batch's failed items",
      beyondCamunda: true,
      responses: { 200: z.array(failedItemDtoSchema) },
      errors: [400, 404],
    },
    async (req) => {
      const id = String(req.params.id);
      const params = QueryParams.of(req);
      const items = await batchReports.failedItems(id, params.string('reason'), readPage(params));
      if (items === undefined) throw noBatch(id);
      const [batch] = await batches.historic({ batchId: id });
      return items.map((item) => failedItemDto(item, batch!.type));
    },
  );
  read(
    '/:id/overview',
    {
      summary: "One batch's overview",
      beyondCamunda: true,
      responses: { 200: batchOverviewDtoSchema },
      errors: [404],
    },
    async (req) => {
      const overview = await batchReports.overviewOf(String(req.params.id));
      if (overview === undefined) throw noBatch(String(req.params.id));
      return batchOverviewDto(overview);
    },
  );
  read(
    '/:id/failures/count',
    {
      summary: "Count a batch's failure groups",
      beyondCamunda: true,
      responses: { 200: countResultDto },
      errors: [404],
    },
    async (req) => {
      const count = await batchReports.countFailures(String(req.params.id));
      if (count === undefined) throw noBatch(String(req.params.id));
      return { count };
    },
  );

  return router;
}

/** Which group of failures: its `reason` (as `/failures` answers it), or none for every group. */
const failureGroupBody = z.object({ reason: z.string().max(1000).nullish() }).strict();

const noBatch = (id: string) => new InvalidRequestException(404, `Batch with id '${id}' does not exist`);

/** A batch's progress over its items, running or ended (the history row and the items outlive it). */
async function progressOf(reports: BatchReports, id: string) {
  const progress = await reports.progress(id);
  if (progress === undefined) throw noBatch(id);
  return batchProgressDto(progress);
}

function overviewQuery(params: QueryParams): BatchOverviewQuery {
  const state = params.string('state');
  if (state !== undefined && !BATCH_STATES.includes(state as BatchState)) {
    throw new InvalidRequestException(
      400,
      `Cannot set query parameter 'state' to value '${state}': one of ${BATCH_STATES.join(', ')}`,
    );
  }
  return { type: params.string('type'), createdBy: params.string('createdBy'), state: state as BatchState };
}

function itemState(params: QueryParams): BatchItemState | undefined {
  const state = params.string('state');
  if (state !== undefined && !ITEM_STATES.includes(state as BatchItemState)) {
    throw new InvalidRequestException(400, `Cannot set query parameter 'state' to value '${state}'`);
  }
  return state as BatchItemState | undefined;
}

/** `/history/batch`: historic batches (running and ended), one, count, deletion. */
export function historicBatchRoutes({ batches, batchReports }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Batch' });
  const query = (params: QueryParams) => ({
    batchId: params.string('batchId'),
    type: params.string('type'),
    completed: params.boolean('completed'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
  });
  router.get(
    '/',
    { summary: 'List historic batches', responses: { 200: z.array(historicBatchDtoSchema) }, errors: [400] },
    async (req, res) => {
      const params = QueryParams.of(req);
      const sorting = readSorting<HistoricBatchSortKey>(params, [
        'batchId',
        'startTime',
        'endTime',
        'tenantId',
      ]);
      res.json((await batches.historic(query(params), readPage(params), sorting)).map(historicBatchDto));
    },
  );
  router.get(
    '/count',
    { summary: 'Count historic batches', responses: { 200: countResultDto }, errors: [400] },
    async (req, res) => {
      res.json({ count: await batches.countHistoric(query(QueryParams.of(req))) });
    },
  );
  router.get(
    '/:id',
    { summary: 'Get a historic batch', responses: { 200: historicBatchDtoSchema }, errors: [404] },
    async (req, res) => {
      const [batch] = await batches.historic({ batchId: req.params.id });
      if (!batch)
        throw new InvalidRequestException(404, `Historic batch with id '${req.params.id}' does not exist`);
      res.json(historicBatchDto(batch));
    },
  );
  router.get(
    '/:id/progress',
    {
      summary: "A historic batch's progress",
      beyondCamunda: true,
      responses: { 200: batchProgressDtoSchema },
      errors: [404],
    },
    async (req, res) => {
      res.json(await progressOf(batchReports, req.params.id));
    },
  );
  router.delete(
    '/:id',
    { summary: 'Delete a historic batch', responses: { 204: null }, errors: [400] },
    async (req, res) => {
      if (!(await batches.deleteHistoric(req.params.id))) {
        throw new InvalidRequestException(400, `Unable to delete historic batch with id '${req.params.id}'`);
      }
      res.status(204).end();
    },
  );
  return router;
}
