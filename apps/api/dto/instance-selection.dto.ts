import { InvalidRequestException } from '@libs/http';
import type { SelectionRequest } from '@libs/runtime';
import type { HistoricProcessInstanceQuery } from '@libs/persistence';
import { readHistoricProcessInstanceQueryBody } from './historic-process-instance.dto';
import { readProcessInstanceQueryBody } from './process-instance.dto';

/**
 * Refuses a request body's `historicProcessInstanceQuery` where Camunda does not take one (migration):
 * ignoring it would act on other instances than the ones meant.
 */
export function refuseHistoricQuery(body: unknown): void {
  const historic = (body as { historicProcessInstanceQuery?: unknown } | null)?.historicProcessInstanceQuery;
  if (historic !== undefined && historic !== null) {
    throw new InvalidRequestException(
      400,
      'historicProcessInstanceQuery is not accepted here (as in Camunda); select instances with processInstanceIds or processInstanceQuery',
    );
  }
}

/** A request's `historicProcessInstanceQuery`, parsed; `undefined` when absent or `null`. */
export function readHistoricSelection(historic: unknown): HistoricProcessInstanceQuery | undefined {
  return historic === undefined || historic === null
    ? undefined
    : readHistoricProcessInstanceQueryBody(historic, 'historicProcessInstanceQuery').query;
}

/**
 * The selection of a batch request, `processInstanceIds`, `processInstanceQuery` and
 * `historicProcessInstanceQuery`; the queries are parsed when the use case reads the selection, after
 * it checked the ids (Camunda's order of messages).
 */
export function selectionRequest(
  ids: ReadonlyArray<string | null> | null | undefined,
  query: unknown,
  historicQuery?: unknown,
): SelectionRequest {
  return {
    ids,
    query: () =>
      query === undefined || query === null
        ? undefined
        : readProcessInstanceQueryBody(query, 'processInstanceQuery').query,
    historicQuery: () => readHistoricSelection(historicQuery),
  };
}
