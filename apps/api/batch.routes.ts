import { Router } from 'express';
import { z } from 'zod';
import { InvalidRequestException, parseRequest, QueryParams, readPage, readSorting } from '@libs/http';
import type { BatchItemState, BatchQuery, BatchSortKey, HistoricBatchSortKey } from '@libs/persistence';
import type { Services } from '../common/services';
import { batchDto, batchItemDto, batchStatisticsDto, historicBatchDto } from './dto/batch.dto';

const suspendedBody = z.object({ suspended: z.boolean() }).loose();
const ITEM_STATES: readonly BatchItemState[] = ['pending', 'done', 'failed'];

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

/** `/batch`: list, count, statistics, one batch, suspension, deletion, and its items with outcomes. */
export function batchRoutes({ batches }: Services): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const params = QueryParams.of(req);
    const sorting = readSorting<BatchSortKey>(params, ['batchId', 'tenantId']);
    res.json((await batches.query(batchQuery(params), readPage(params), sorting)).map(batchDto));
  });
  router.get('/count', async (req, res) => {
    res.json({ count: await batches.count(batchQuery(QueryParams.of(req))) });
  });
  for (const path of ['/statistics', '/statistics/']) {
    router.get(path, async (req, res) => {
      const params = QueryParams.of(req);
      const sorting = readSorting<BatchSortKey>(params, ['batchId', 'tenantId', 'startTime']);
      res.json(
        (await batches.query(statisticsQuery(params), readPage(params), sorting)).map(batchStatisticsDto),
      );
    });
  }
  router.get('/statistics/count', async (req, res) => {
    res.json({ count: await batches.count(statisticsQuery(QueryParams.of(req))) });
  });

  router.get('/:id', async (req, res) => {
    const batch = await batches.get(req.params.id);
    if (!batch) throw new InvalidRequestException(404, `Batch with id '${req.params.id}' does not exist`);
    res.json(batchDto(batch));
  });
  router.put('/:id/suspended', async (req, res) => {
    const { suspended } = parseRequest(suspendedBody, req.body ?? {});
    await batches.setSuspended(req.params.id, suspended);
    res.status(204).end();
  });
  router.delete('/:id', async (req, res) => {
    await batches.delete(req.params.id, QueryParams.of(req).boolean('cascade') ?? false);
    res.status(204).end();
  });

  router.get('/:id/items', async (req, res) => {
    const params = QueryParams.of(req);
    const items = await batches.items(req.params.id, itemState(params), readPage(params));
    // Only an empty page needs to know whether the batch has items at all.
    if (items.length === 0 && (await batches.countItems(req.params.id)) === 0)
      throw new InvalidRequestException(404, `Batch with id '${req.params.id}' has no items`);
    const [batch] = await batches.historic({ batchId: req.params.id });
    res.json(items.map((item) => batchItemDto(item, batch?.type)));
  });
  router.get('/:id/items/count', async (req, res) => {
    res.json({ count: await batches.countItems(req.params.id, itemState(QueryParams.of(req))) });
  });

  return router;
}

function itemState(params: QueryParams): BatchItemState | undefined {
  const state = params.string('state');
  if (state !== undefined && !ITEM_STATES.includes(state as BatchItemState)) {
    throw new InvalidRequestException(400, `Cannot set query parameter 'state' to value '${state}'`);
  }
  return state as BatchItemState | undefined;
}

/** `/history/batch`: historic batches (running and ended), one, count, deletion. */
export function historicBatchRoutes({ batches }: Services): Router {
  const router = Router();
  const query = (params: QueryParams) => ({
    batchId: params.string('batchId'),
    type: params.string('type'),
    completed: params.boolean('completed'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
  });
  router.get('/', async (req, res) => {
    const params = QueryParams.of(req);
    const sorting = readSorting<HistoricBatchSortKey>(params, [
      'batchId',
      'startTime',
      'endTime',
      'tenantId',
    ]);
    res.json((await batches.historic(query(params), readPage(params), sorting)).map(historicBatchDto));
  });
  router.get('/count', async (req, res) => {
    res.json({ count: await batches.countHistoric(query(QueryParams.of(req))) });
  });
  router.get('/:id', async (req, res) => {
    const [batch] = await batches.historic({ batchId: req.params.id });
    if (!batch)
      throw new InvalidRequestException(404, `Historic batch with id '${req.params.id}' does not exist`);
    res.json(historicBatchDto(batch));
  });
  router.delete('/:id', async (req, res) => {
    if (!(await batches.deleteHistoric(req.params.id))) {
      throw new InvalidRequestException(400, `Unable to delete historic batch with id '${req.params.id}'`);
    }
    res.status(204).end();
  });
  return router;
}
