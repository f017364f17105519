import type { SelectionRequest } from '@libs/runtime';
import { readProcessInstanceQueryBody } from './process-instance.dto';

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
