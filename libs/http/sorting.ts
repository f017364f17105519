import { z } from 'zod';
import { boundedList } from './bounds';
import { invalidParameter, type QueryParams } from './query-params';
import { InvalidRequestException } from './rest-exception';

export type SortOrder = 'asc' | 'desc';

export interface Sorting<K extends string> {
  readonly by: K;
  readonly order: SortOrder;
}

/**
 * `sortBy` + `sortOrder` on GET list endpoints: both or neither (Camunda's message otherwise), `sortBy`
 * from the endpoint's whitelist, `sortOrder` `asc` or `desc`.
 */
export function readSorting<K extends string>(params: QueryParams, allowed: readonly K[]): Sorting<K>[] {
  const sortBy = params.string('sortBy');
  const sortOrder = params.string('sortOrder');
  if (sortBy === undefined && sortOrder === undefined) return [];
  if (sortBy === undefined || sortOrder === undefined) {
    throw new InvalidRequestException(
      400,
      'Only a single sorting parameter specified. sortBy and sortOrder required',
    );
  }
  if (!(allowed as readonly string[]).includes(sortBy)) throw invalidParameter('sortBy', sortBy);
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw invalidParameter('sortOrder', sortOrder);
  return [{ by: sortBy as K, order: sortOrder }];
}

/**
 * The `sorting` array of a JSON query body (`[{sortBy, sortOrder}]`, applied in order): keys from the
 * endpoint's whitelist, at most as many criteria as a list may hold; `null` means none.
 */
export function sortingBodySchema<K extends string>(allowed: readonly K[]) {
  const entry = z.object({ sortBy: z.enum(allowed as [K, ...K[]]), sortOrder: z.enum(['asc', 'desc']) });
  return boundedList(entry)
    .nullish()
    .transform((entries): Sorting<K>[] =>
      (entries ?? []).map((sorting) => ({ by: sorting.sortBy as K, order: sorting.sortOrder })),
    );
}
