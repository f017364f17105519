import { InvalidRequestException } from '@libs/http';
import type { SelectionRequest } from '@libs/runtime';
import { readProcessInstanceQueryBody } from './process-instance.dto';

/**
 * Refuses a request body's `historicProcessInstanceQuery`: selecting instances by their history is not
 * supported yet, and ignoring it would act on other instances than the ones meant.
 */
export function refuseHistoricQuery(body: unknown): void {
  const historic = (body as { historicProcessInstanceQuery?: unknown } | null)?.historicProcessInstanceQuery;
  if (historic !== undefined && historic !== null) {
    throw new InvalidRequestException(
      400,
      'historicProcessInstanceQuery is not supported by this service; select instances with processInstanceIds or processInstanceQuery',
    );
  }
}

/**
 * The selection of a batch request, `processInstanceIds` and `processInstanceQuery`; the query is
 * parsed when the use case reads the selection, after it checked the ids (Camunda's order of messages).
 */
export function selectionRequest(
  ids: ReadonlyArray<string | null> | null | undefined,
  query: unknown,
): SelectionRequest {
  return {
    ids,
    query: () =>
      query === undefined || query === null
        ? undefined
        : readProcessInstanceQueryBody(query, 'processInstanceQuery').query,
  };
}
