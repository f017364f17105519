import { z } from 'zod';
import {
  InvalidRequestException,
  parseRequest,
  QueryParams,
  sortingBodySchema,
  type Sorting,
} from '@libs/http';

/**
 * A JSON query body (Camunda's POST twin of a GET query): its filters read as the GET parameters by
 * `read`, then its `sorting` from the endpoint's keys.
 */
export function readQueryBody<Q, K extends string>(
  body: unknown,
  sortKeys: readonly K[],
  read: (params: QueryParams) => Q,
): { query: Q; sorting: Sorting<K>[] } {
  const what = 'request body';
  const query = read(QueryParams.fromBody(body, what, ['sorting']));
  const { sorting } = parseRequest(
    z.object({ sorting: sortingBodySchema(sortKeys) }).loose(),
    body ?? {},
    what,
  );
  return { query, sorting };
}

/**
 * Refuses the filters of `names` this service cannot honour with a 400
 * (`Filtering <subject> by '<name>' is not supported by this service`) rather than ignoring them.
 */
export function refuseFilters(params: QueryParams, names: readonly string[], subject: string): void {
  for (const name of names) {
    if (params.string(name) !== undefined) {
      throw new InvalidRequestException(
        400,
        `Filtering ${subject} by '${name}' is not supported by this service`,
      );
    }
  }
}
