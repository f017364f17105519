import { formatDate, type QueryParams } from '@libs/http';
import type {
  EventSubscriptionQuery,
  EventSubscriptionRecord,
  EventSubscriptionSortKey,
} from '@libs/persistence';

export const EVENT_SUBSCRIPTION_SORT_KEYS: readonly EventSubscriptionSortKey[] = ['created', 'tenantId'];

/** Camunda's `EventSubscriptionDto`. */
export function eventSubscriptionDto(subscription: EventSubscriptionRecord) {
  return {
    id: subscription.id,
    eventType: subscription.eventType,
    eventName: subscription.eventName,
    executionId: subscription.executionId,
    processInstanceId: subscription.processInstanceId,
    activityId: subscription.activityId,
    createdDate: formatDate(subscription.created),
    tenantId: subscription.tenantId,
  };
}

/** The filters of `GET /event-subscription` and its count. */
export function readEventSubscriptionQuery(params: QueryParams): EventSubscriptionQuery {
  return {
    eventSubscriptionId: params.string('eventSubscriptionId'),
    eventName: params.string('eventName'),
    eventType: params.string('eventType'),
    executionId: params.string('executionId'),
    processInstanceId: params.string('processInstanceId'),
    activityId: params.string('activityId'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    includeEventSubscriptionsWithoutTenantId: params.boolean('includeEventSubscriptionsWithoutTenantId'),
  };
}
