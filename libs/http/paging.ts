import type { QueryParams } from './query-params';

/** `firstResult`/`maxResults` (Camunda's QueryUtil): absent → unpaged; one given → the other defaults. */
export interface Page {
  readonly offset: number;
  readonly limit: number | null;
}

export function readPage(params: QueryParams): Page {
  const firstResult = params.integer('firstResult', { min: 0 });
  const maxResults = params.integer('maxResults', { min: 0 });
  return { offset: firstResult ?? 0, limit: maxResults ?? null };
}
