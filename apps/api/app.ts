import type { Metrics } from '@libs/metrics';
import express, { Router, type Express, type RequestHandler } from 'express';
import {
  basicAuth,
  boundedNesting,
  errorHandler,
  InvalidRequestException,
  notFoundHandler,
  requestContext,
  type BasicAuthUser,
  type DependencyProbe,
  whileAvailable,
} from '@libs/http';
import type { Logger } from '@libs/logging';
import type { Services } from '../common/services';
import { batchRoutes, historicBatchRoutes } from './batch.routes';
import { BULL_BOARD_PATH, bullBoardRouter } from './bull-board';
import { CONSOLE_ASSETS, CONSOLE_PATH, consoleRouter, landingPage } from './console';
import { deploymentRoutes } from './deployment.routes';
import { jobDefinitionRoutes } from './job-definition.routes';
import { engineRoutes } from './engine.routes';
import { healthRoutes, type HealthCheck } from './health.routes';
import { httpMetrics, metricsRoutes } from './metrics.routes';
import { restartRoutes } from './restart.routes';
import { externalTaskRetriesRoutes } from './external-task-retries.routes';
import { processDefinitionRoutes } from './process-definition.routes';
import { processInstanceRoutes } from './process-instance.routes';
import { eventSubscriptionRoutes } from './event-subscription.routes';
import { executionRoutes } from './execution.routes';
import { historyRoutes } from './history.routes';
import { jobRoutes } from './job.routes';
import { incidentRoutes } from './incident.routes';
import { messageRoutes } from './message.routes';
import { signalRoutes } from './signal.routes';
import { conditionRoutes } from './condition.routes';
import { externalTaskRoutes } from './external-task.routes';
import { taskRoutes } from './task.routes';
import { migrationRoutes } from './migration.routes';
import { instanceModificationRoutes, modificationRoutes } from './modification.routes';
import { userOperationLogRoutes } from './user-operation-log.routes';

export interface AppDependencies {
  readonly logger: Logger;
  /** Largest accepted request body, e.g. `10mb`; larger bodies get a 413. */
  readonly bodyLimit: string;
  /** Users for HTTP Basic authentication; an empty list turns authentication off. */
  readonly users: readonly BasicAuthUser[];
  /** Dependency checks behind `GET /health/ready`. */
  readonly healthChecks: Readonly<Record<string, HealthCheck>>;
  /** Names a dependency whose connection is down right now; requests failing meanwhile get a 503. */
  readonly dependencyDown?: DependencyProbe;
  readonly services: Services;
  /** The process's Prometheus metrics: served at `/metrics`, and every request timed into them. */
  readonly metrics: Metrics;
  /** The console's built assets; by default `dist/console` under the project root. */
  readonly consoleAssets?: string;
}

/** Camunda serves every resource under the default engine's name as well. */
const ENGINE_NAME = 'default';

/**
 * Builds the HTTP application. Reads nothing from the environment: everything arrives in `deps`,
 * so tests build it directly. The REST API is mounted at `/engine-rest` and `/engine-rest/engine/default`.
 */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(deps.logger));
  app.use(httpMetrics(deps.metrics));
  app.use('/health', healthRoutes({ checks: deps.healthChecks }));
  if (deps.users.length > 0) app.use(basicAuth(deps.users));
  app.use('/metrics', metricsRoutes(deps.metrics));
  app.use(CONSOLE_PATH, consoleRouter(deps.consoleAssets ?? CONSOLE_ASSETS));
  const { timerQueue, asyncContinuationQueue, batchQueues } = deps.services;
  // The dashboard's API reads Redis only: refused at once while it is down.
  if (deps.dependencyDown) app.use(`${BULL_BOARD_PATH}/api`, whileAvailable(deps.dependencyDown));
  app.use(
    BULL_BOARD_PATH,
    bullBoardRouter([
      batchQueues.seed,
      batchQueues.execution,
      batchQueues.monitor,
      timerQueue.queue,
      asyncContinuationQueue.queue,
    ]),
  );
  app.use(express.json({ limit: deps.bodyLimit, type: ['application/json', 'application/*+json'] }));
  app.use(boundedNesting);

  const rest = restRoutes(deps);
  app.use('/engine-rest/engine/:engineName', onlyDefaultEngine, rest);
  app.use('/engine-rest', rest);
  app.use(landingPage());

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger.child({ component: 'http' }), deps.dependencyDown));
  return app;
}

function restRoutes(deps: AppDependencies): Router {
  const rest = Router();
  rest.use(engineRoutes());
  rest.use('/deployment', deploymentRoutes(deps.services, deps.bodyLimit));
  rest.use('/process-definition', processDefinitionRoutes(deps.services));
  rest.use('/process-definition', restartRoutes(deps.services));
  rest.use('/process-instance', processInstanceRoutes(deps.services));
  rest.use('/process-instance', instanceModificationRoutes(deps.services));
  rest.use('/migration', migrationRoutes(deps.services));
  rest.use('/modification', modificationRoutes(deps.services));
  rest.use('/history/user-operation', userOperationLogRoutes(deps.services));
  rest.use('/batch', batchRoutes(deps.services));
  rest.use('/history/batch', historicBatchRoutes(deps.services));
  rest.use('/message', messageRoutes(deps.services));
  rest.use('/signal', signalRoutes(deps.services));
  rest.use('/condition', conditionRoutes(deps.services));
  rest.use('/event-subscription', eventSubscriptionRoutes(deps.services));
  rest.use('/execution', executionRoutes(deps.services));
  rest.use('/job', jobRoutes(deps.services));
  rest.use('/job-definition', jobDefinitionRoutes(deps.services));
  rest.use('/incident', incidentRoutes(deps.services));
  rest.use('/history', historyRoutes(deps.services));
  rest.use('/task', taskRoutes(deps.services));
  rest.use('/external-task', externalTaskRetriesRoutes(deps.services));
  rest.use('/external-task', externalTaskRoutes(deps.services));
  return rest;
}

const onlyDefaultEngine: RequestHandler<{ engineName: string }> = (req, _res, next) => {
  if (req.params.engineName === ENGINE_NAME) {
    next();
    return;
  }
  next(new InvalidRequestException(400, `No process engine available with name '${req.params.engineName}'`));
};
