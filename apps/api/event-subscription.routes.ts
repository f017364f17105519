import { QueryParams, readPage, readSorting } from '@libs/http';
import type { Services } from '../common/services';
import {
  EVENT_SUBSCRIPTION_SORT_KEYS,
  eventSubscriptionDto,
  readEventSubscriptionQuery,
} from './dto/event-subscription.dto';
import { z } from 'zod';
import { ApiRouter } from './openapi/api-router';
import { countResultDto, jsonObject } from './openapi/schemas';

/** `/event-subscription`: the message and signal subscriptions instances wait on, and their count. */
export function eventSubscriptionRoutes({ messages }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Event Subscription' });

  router.get(
    '/',
    { summary: 'List event subscriptions', responses: { 200: z.array(jsonObject) }, errors: [400] },
    async (req, res) => {
      const params = QueryParams.of(req);
      const subscriptions = await messages.querySubscriptions(
        readEventSubscriptionQuery(params),
        readPage(params),
        readSorting(params, EVENT_SUBSCRIPTION_SORT_KEYS),
      );
      res.json(subscriptions.map(eventSubscriptionDto));
    },
  );
  router.get(
    '/count',
    { summary: 'Count event subscriptions', responses: { 200: countResultDto }, errors: [400] },
    async (req, res) => {
      res.json({ count: await messages.countSubscriptions(readEventSubscriptionQuery(QueryParams.of(req))) });
    },
  );

  return router;
}
