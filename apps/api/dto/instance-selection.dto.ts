import { BadUserRequestException } from '@libs/engine';
import type { ProcessInstanceQuery } from '@libs/persistence';
import type { RuntimeService } from '@libs/runtime';
import { readProcessInstanceQueryBody } from './process-instance.dto';

/** Camunda's messages for an id set without instances or with a `null` in it. */
export interface SelectionMessages {
  readonly empty: string;
  readonly containsNull: string;
}

/** The instances a batch request names: explicit ids (no `null` allowed) and an optional query. */
export interface InstanceSelection {
  readonly ids: string[];
  readonly query: ProcessInstanceQuery | undefined;
}

/**
 * Reads `processInstanceIds` and `processInstanceQuery` of a request.
 * @throws BadUserRequestException `messages.containsNull` for a `null` id.
 */
export function readInstanceSelection(
  ids: ReadonlyArray<string | null> | null | undefined,
  query: unknown,
  messages: SelectionMessages,
): InstanceSelection {
  if ((ids ?? []).some((id) => id === null)) throw new BadUserRequestException(messages.containsNull);
  return {
    ids: (ids ?? []) as string[],
    query:
      query === undefined || query === null
        ? undefined
        : readProcessInstanceQueryBody(query, 'processInstanceQuery').query,
  };
}

/**
 * The selected instance ids for a synchronous operation: the union of explicit ids and the query's
 * result, de-duplicated, explicit ids first.
 * @throws BadUserRequestException `messages.empty` when nothing is selected.
 */
export async function resolveSelection(
  runtime: RuntimeService,
  selection: InstanceSelection,
  messages: SelectionMessages,
): Promise<string[]> {
  const found = selection.query ? await runtime.queryInstances(selection.query) : [];
  const ids = [...new Set([...selection.ids, ...found.map((instance) => instance.id)])];
  if (ids.length === 0) throw new BadUserRequestException(messages.empty);
  return ids;
}
