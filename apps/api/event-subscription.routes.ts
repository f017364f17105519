import { Router } from 'express';
import { QueryParams, readPage, readSorting } from '@libs/http';
import type { Services } from '../common/services';
import {
  EVENT_SUBSCRIPTION_SORT_KEYS,
  eventSubscriptionDto,
  readEventSubscriptionQuery,
} from './dto/event-subscription.dto';

/** `/event-subscription`: the message and signal subscriptions instances wait on, and their count. */
export function eventSubscriptionRoutes({ messages }: Services): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const params = QueryParams.of(req);
    const subscriptions = await messages.querySubscriptions(
      readEventSubscriptionQuery(params),
      readPage(params),
      readSorting(params, EVENT_SUBSCRIPTION_SORT_KEYS),
    );
    res.json(subscriptions.map(eventSubscriptionDto));
  });
  router.get('/count', async (req, res) => {
    res.json({ count: await messages.countSubscriptions(readEventSubscriptionQuery(QueryParams.of(req))) });
  });

  return router;
}
