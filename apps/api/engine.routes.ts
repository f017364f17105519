import { Router } from 'express';

/** The Camunda REST API version this service is compatible with (answered by `GET /version`). */
export const CAMUNDA_REST_VERSION = '7.22.0';

/** `GET /engine` (the engine names) and `GET /version`. */
export function engineRoutes(): Router {
  const router = Router();
  router.get('/engine', (_req, res) => {
    res.json([{ name: 'default' }]);
  });
  router.get('/version', (_req, res) => {
    res.json({ version: CAMUNDA_REST_VERSION });
  });
  return router;
}
