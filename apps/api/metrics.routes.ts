import { type NextFunction, type Request, type Response } from 'express';
import type { Metrics } from '@libs/metrics';
import { ApiRouter, TEXT } from './openapi/api-router';

/**
 * Times every request into `batch_ops_http_request_duration_seconds`, labelled by the route template
 * it matched (`/engine-rest/batch/:id`, never the id itself) or `unmatched`, so label values stay few.
 */
export function httpMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = metrics.httpRequestDuration.startTimer();
    let template = 'unmatched';
    // Express sets `req.route` when a route matches, while `baseUrl` still holds the routers' mount
    // paths (an error answered later has left them by then): take the template at that moment.
    let route: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      get: () => route,
      set: (value: { path?: unknown } | undefined) => {
        route = value;
        if (typeof value?.path === 'string') template = routeTemplate(req.baseUrl, value.path);
      },
    });
    res.on('finish', () => {
      stop({ method: req.method, route: template, status_code: String(res.statusCode) });
    });
    next();
  };
}

/** The mount path and route path as one template; the named-engine mount folded into one value. */
function routeTemplate(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/^\/engine-rest\/engine\/[^/]+/, '/engine-rest/engine/:engineName');
  return path === '/' && base !== '' ? base : `${base}${path}`;
}

/** `GET /metrics`: the process's metrics in Prometheus's text format. */
export function metricsRoutes(metrics: Metrics): ApiRouter {
  const router = new ApiRouter({ tag: 'Metrics' });
  router.get(
    '/',
    { summary: 'Prometheus metrics (text format)', beyondCamunda: true, responses: { 200: TEXT } },
    async (_req, res) => {
      const { contentType, body } = await metrics.scrape();
      res.type(contentType).send(body);
    },
  );
  return router;
}
