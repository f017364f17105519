import { BadUserRequestException } from '@libs/engine';
import type { ProcessInstanceQuery } from '@libs/persistence';
import type { RuntimeService } from './runtime.service';

/** Camunda's messages for an id set without instances or with a `null` in it. */
export interface SelectionMessages {
  readonly empty: string;
  readonly containsNull: string;
}

/**
 * The instances a request names, as sent: explicit ids (a `null` among them is refused) and an
 * optional query, read only once the ids passed their check (Camunda's order of messages).
 */
export interface SelectionRequest {
  readonly ids: ReadonlyArray<string | null> | null | undefined;
  readonly query: () => ProcessInstanceQuery | undefined;
}

/** The instances a request selects: explicit ids and an optional query. */
export interface InstanceSelection {
  readonly ids: string[];
  readonly query: ProcessInstanceQuery | undefined;
}

/**
 * Reads a selection request.
 * @throws BadUserRequestException `messages.containsNull` for a `null` id (before the query is read).
 */
export function readSelection(request: SelectionRequest, messages: SelectionMessages): InstanceSelection {
  const ids = request.ids ?? [];
  if (ids.some((id) => id === null)) throw new BadUserRequestException(messages.containsNull);
  return { ids: ids as string[], query: request.query() };
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
): Promise<string[]> {
  const found = selection.query ? await runtime.queryInstances(selection.query) : [];
  const ids = [...new Set([...selection.ids, ...found.map((instance) => instance.id)])];
  if (ids.length === 0) throw new BadUserRequestException(messages.empty);
  return ids;
}
