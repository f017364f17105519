import { z } from 'zod';
import { ApiRouter } from './openapi/api-router';

/** The Camunda REST API version this service is compatible with (answered by `GET /version`). */
export const CAMUNDA_REST_VERSION = '7.22.0';

/** `GET /engine` (the engine names) and `GET /version`. */
export function engineRoutes(): ApiRouter {
  const router = new ApiRouter({ tag: 'Engine' });
  router.get(
    '/engine',
    { summary: 'The process engines', responses: { 200: z.array(z.object({ name: z.string() })) } },
    (_req, res) => {
      res.json([{ name: 'default' }]);
    },
  );
  router.get(
    '/version',
    { summary: 'The REST API version', responses: { 200: z.object({ version: z.string() }) } },
    (_req, res) => {
      res.json({ version: CAMUNDA_REST_VERSION });
    },
  );
  return router;
}
