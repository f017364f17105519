import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Infrastructure } from '../common/infrastructure';
import type { Component } from '../common/process';

/**
 * `GET /metrics` of a worker process on `WORKER_METRICS_PORT`, for Prometheus to scrape each worker's
 * counters and histograms (a standalone process serves them on the API's `/metrics` instead).
 */
export async function startMetricsServer(infrastructure: Infrastructure): Promise<Component[]> {
  const { config, logger, metrics } = infrastructure;
  const port = config.worker.metricsPort;
  if (port === undefined) return [];
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.scrape().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (error: unknown) => {
        logger.warn('metrics scrape failed', {
          error: error instanceof Error ? error.message : String(error),
        });
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  server.listen(port, config.http.host);
  await once(server, 'listening');
  logger.info('worker metrics listening', {
    url: `http://localhost:${(server.address() as AddressInfo).port}/metrics`,
  });
  return [
    {
      name: 'worker metrics',
      stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    },
  ];
}
