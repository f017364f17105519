import type { Router } from 'express';
import { QueryParams, readPage, readSorting, type Page, type Sorting } from '@libs/http';

/** How a resource is listed and counted: Camunda's GET (parameters) and POST (JSON body) query pair. */
export interface QueryEndpoints<Q, K extends string, R> {
  readonly sortKeys: readonly K[];
  fromParams(params: QueryParams): Q;
  fromBody(body: unknown): { query: Q; sorting: Sorting<K>[] };
  list(query: Q, page: Page, sorting: Sorting<K>[]): Promise<readonly R[]>;
  count(query: Q): Promise<number>;
  toDto(record: R): unknown;
}

/**
 * Mounts `GET /` and `POST /` (list: filters, sorting, `firstResult`/`maxResults` paging) and
 * `GET /count` and `POST /count` on `router`, all answering as Camunda does.
 */
export function mountQueryEndpoints<Q, K extends string, R>(
  router: Router,
  endpoints: QueryEndpoints<Q, K, R>,
): void {
  const respond = async (query: Q, page: Page, sorting: Sorting<K>[]) =>
    (await endpoints.list(query, page, sorting)).map((record) => endpoints.toDto(record));
  router.get('/', async (req, res) => {
    const params = QueryParams.of(req);
    res.json(
      await respond(endpoints.fromParams(params), readPage(params), readSorting(params, endpoints.sortKeys)),
    );
  });
  router.post('/', async (req, res) => {
    const { query, sorting } = endpoints.fromBody(req.body);
    res.json(await respond(query, readPage(QueryParams.of(req)), sorting));
  });
  router.get('/count', async (req, res) => {
    res.json({ count: await endpoints.count(endpoints.fromParams(QueryParams.of(req))) });
  });
  router.post('/count', async (req, res) => {
    res.json({ count: await endpoints.count(endpoints.fromBody(req.body).query) });
  });
}
