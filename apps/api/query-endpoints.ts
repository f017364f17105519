import { z } from 'zod';
import { QueryParams, readPage, readSorting, type Page, type Sorting } from '@libs/http';
import type { ApiRouter } from './openapi/api-router';
import { countResultDto, jsonObject } from './openapi/schemas';

/** How a resource is listed and counted: Camunda's GET (parameters) and POST (JSON body) query pair. */
export interface QueryEndpoints<Q, K extends string, R, D extends z.ZodType> {
  /** The resource's name in the document's summaries, e.g. `process instances`. */
  readonly resource: string;
  /** The schema of one listed item; `toDto` answers it. */
  readonly item: D;
  /** The GET variant's query parameters (beyond paging and sorting). */
  readonly query?: z.ZodObject;
  /** The POST variant's JSON body; any object when not given. */
  readonly body?: z.ZodType;
  readonly sortKeys: readonly K[];
  fromParams(params: QueryParams): Q;
  fromBody(body: unknown): { query: Q; sorting: Sorting<K>[] };
  list(query: Q, page: Page, sorting: Sorting<K>[]): Promise<readonly R[]>;
  count(query: Q): Promise<number>;
  toDto(record: R): z.infer<D>;
}

/**
 * Mounts `GET /` and `POST /` (list: filters, sorting, `firstResult`/`maxResults` paging) and
 * `GET /count` and `POST /count` on `router`, all answering (and documented) as Camunda does.
 */
export function mountQueryEndpoints<Q, K extends string, R, D extends z.ZodType>(
  router: ApiRouter,
  endpoints: QueryEndpoints<Q, K, R, D>,
): void {
  const respond = async (query: Q, page: Page, sorting: Sorting<K>[]) =>
    (await endpoints.list(query, page, sorting)).map((record) => endpoints.toDto(record));
  const list = { responses: { 200: endpoints.item.array() }, errors: [400] } as const;
  const count = { responses: { 200: countResultDto }, errors: [400] } as const;
  const paging = z.object({ firstResult: z.int().nonnegative(), maxResults: z.int().nonnegative() });
  const sorting = paging.extend({
    sortBy: z.enum(endpoints.sortKeys as readonly [K, ...K[]]),
    sortOrder: z.enum(['asc', 'desc']),
  });
  const filters = endpoints.query ?? z.object({});
  const body = endpoints.body ?? jsonObject;
  router.get(
    '/',
    { summary: `List ${endpoints.resource}`, query: filters.extend(sorting.shape), ...list },
    async (req, res) => {
      const params = QueryParams.of(req);
      res.json(
        await respond(
          endpoints.fromParams(params),
          readPage(params),
          readSorting(params, endpoints.sortKeys),
        ),
      );
    },
  );
  router.post(
    '/',
    { summary: `List ${endpoints.resource} (query body)`, query: paging, body, ...list },
    async (req, res) => {
      const { query, sorting } = endpoints.fromBody(req.body);
      res.json(await respond(query, readPage(QueryParams.of(req)), sorting));
    },
  );
  router.get(
    '/count',
    { summary: `Count ${endpoints.resource}`, query: filters, ...count },
    async (req, res) => {
      res.json({ count: await endpoints.count(endpoints.fromParams(QueryParams.of(req))) });
    },
  );
  router.post(
    '/count',
    { summary: `Count ${endpoints.resource} (query body)`, body, ...count },
    async (req, res) => {
      res.json({ count: await endpoints.count(endpoints.fromBody(req.body).query) });
    },
  );
}
