import type { Request } from 'express';

/** A Camunda HAL-style link, as in the `links` array of DTOs. */
export interface Link {
  readonly method: string;
  readonly href: string;
  readonly rel: string;
}

/** `self` link to `<this router's base URL>/<id>` (e.g. `http://host/engine-rest/deployment/<id>`). */
export function selfLink(req: Request, id: string, basePath = req.baseUrl): Link {
  return {
    method: 'GET',
    href: `${req.protocol}://${req.get('host') ?? 'localhost'}${basePath}/${encodeURIComponent(id)}`,
    rel: 'self',
  };
}
