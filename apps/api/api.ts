import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { pingDatabase } from '@libs/persistence';
import { checkRedis } from '@libs/queue';
import type { Component } from '../common/process';
import type { Infrastructure } from '../common/infrastructure';
import type { Services } from '../common/services';
import type { Express } from 'express';
import { createApp } from './app';
import { HealthCheckFailure } from './health.routes';

/** The HTTP application wired to a process' connections (also what the integration tests serve). */
export function buildApp(infrastructure: Infrastructure, services: Services): Express {
  const { config, logger, dataSource, producer } = infrastructure;
  return createApp({
    services,
    metrics: infrastructure.metrics,
    logger: logger.child({ component: 'http' }),
    bodyLimit: config.http.bodyLimit,
    users: config.auth.users,
    healthChecks: {
      database: () => pingDatabase(dataSource),
      schema: async () => {
        if (await dataSource.showMigrations())
          throw new HealthCheckFailure('migrations are pending; run `npm run migrate`');
      },
      redis: async () => {
        const problem = infrastructure.redisProblem();
        if (problem !== undefined) throw new HealthCheckFailure(problem);
        if (producer.status !== 'ready') throw new HealthCheckFailure(`connection ${producer.status}`);
        await checkRedis(producer, config.queue.prefix);
      },
    },
    // Redis client errors carry no code: a request failing while the connection is down met Redis.
    dependencyDown: () => {
      if (infrastructure.redisProblem() !== undefined) return 'Redis (misconfigured)';
      return producer.status === 'ready' ? undefined : `Redis (connection ${producer.status})`;
    },
  });
}

/** Serves the HTTP API on the configured port; stopping closes the listener and waits for in-flight requests. */
export async function startApi(infrastructure: Infrastructure, services: Services): Promise<Component[]> {
  const { config, logger } = infrastructure;
  const server = buildApp(infrastructure, services).listen(config.http.port, config.http.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  logger.info('api listening', {
    url: `http://localhost:${port}/engine-rest`,
    health: `http://localhost:${port}/health/ready`,
    authentication: config.auth.users.length > 0 ? 'basic' : 'off',
  });
  return [
    {
      name: 'http',
      stop: () =>
        new Promise<void>((resolve, reject) => {
          services.externalTasks.close(); // pending long polls answer now instead of holding shutdown
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeIdleConnections();
        }),
    },
  ];
}
