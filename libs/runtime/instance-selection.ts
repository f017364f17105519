import { BadUserRequestException } from '@libs/engine';
import type { HistoricProcessInstanceQuery, ProcessInstanceQuery } from '@libs/persistence';
import type { RuntimeService } from './runtime.service';

/** Camunda's messages for an id set without instances or with a `null` in it. */
export interface SelectionMessages {
  readonly empty: string;
  readonly containsNull: string;
}

/**
 * The instances a request names, as sent: explicit ids (a `null` among them is refused), an optional
 * query over running instances and an optional one over history, read only once the ids passed their
 * check (Camunda's order of messages).
 */
export interface SelectionRequest {
  readonly ids: ReadonlyArray<string | null> | null | undefined;
  readonly query: () => ProcessInstanceQuery | undefined;
  readonly historicQuery?: () => HistoricProcessInstanceQuery | undefined;
}

/** The instances a request selects: explicit ids, an optional query and an optional historic query. */
export interface InstanceSelection {
  readonly ids: string[];
  readonly query: ProcessInstanceQuery | undefined;
  readonly historicQuery?: HistoricProcessInstanceQuery;
}

/** Finds the instances a historic query selects (`HistoryService`). */
export interface HistoricInstanceIds {
  processInstanceIds(query: HistoricProcessInstanceQuery): Promise<string[]>;
}

/** For operations whose requests cannot carry a historic query (their routes refuse it). */
const NO_HISTORY: HistoricInstanceIds = {
  processInstanceIds: () => Promise.reject(new Error('this operation does not select by history')),
};

/**
 * Reads a selection request.
 * @throws BadUserRequestException `messages.containsNull` for a `null` id (before the query is read).
 */
export function readSelection(request: SelectionRequest, messages: SelectionMessages): InstanceSelection {
  const ids = request.ids ?? [];
  if (ids.some((id) => id === null)) throw new BadUserRequestException(messages.containsNull);
  const query = request.query();
  const historicQuery = request.historicQuery?.();
  return { ids: ids as string[], query, ...(historicQuery === undefined ? {} : { historicQuery }) };
}

/**
 * The selection with the instances of its historic query added to the explicit ids (de-duplicated,
 * explicit ids first), as Camunda collects them when the operation is created. Ended instances are
 * among them, as in Camunda: the operation then fails for those (a batch reports them as failed items).
 */
export async function withHistoricIds(
  history: HistoricInstanceIds,
  selection: InstanceSelection,
): Promise<InstanceSelection> {
  if (selection.historicQuery === undefined) return selection;
  const found = await history.processInstanceIds(selection.historicQuery);
  return { ids: [...new Set([...selection.ids, ...found])], query: selection.query };
}

/**
 * The selected instance ids for a synchronous operation: the union of explicit ids and the query's
 * result, de-duplicated, explicit ids first.
 * @throws BadUserRequestException `messages.empty` when nothing is selected.
 */
export async function resolveSelection(
  runtime: Pick<RuntimeService, 'queryInstances'>,
  selection: InstanceSelection,
  messages: SelectionMessages,
  history: HistoricInstanceIds = NO_HISTORY,
): Promise<string[]> {
  const { ids: explicit, query } = await withHistoricIds(history, selection);
  const found = query ? await runtime.queryInstances(query) : [];
  const ids = [...new Set([...explicit, ...found.map((instance) => instance.id)])];
  if (ids.length === 0) throw new BadUserRequestException(messages.empty);
  return ids;
}
