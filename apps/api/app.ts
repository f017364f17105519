import type { Metrics } from '@libs/metrics';
import express, { type Express, type RequestHandler } from 'express';
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
import { CAMUNDA_REST_VERSION, engineRoutes } from './engine.routes';
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
import { ApiRouter } from './openapi/api-router';
import { buildOpenApiDocument, type DocumentInfo } from './openapi/document';
import { openApiRoutes } from './openapi/docs.routes';

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
/** Where the REST API is mounted (and again under `/engine-rest/engine/default`). */
const REST_PATH = '/engine-rest';

const DOCUMENT_INFO: DocumentInfo = {
  title: 'batch-ops REST API',
  version: CAMUNDA_REST_VERSION,
  description:
    "Camunda 7's REST dialect for batch migration and modification of process instances. Every resource under `/engine-rest` is also served under `/engine-rest/engine/default`. Operations tagged `Beyond Camunda` (`x-beyond-camunda: true`) are this service's own.",
};

/**
 * Builds the HTTP application. Reads nothing from the environment: everything arrives in `deps`,
 * so tests build it directly. The REST API is mounted at `/engine-rest` and `/engine-rest/engine/default`.
 */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(deps.logger));
  app.use(httpMetrics(deps.metrics));
  const health = healthRoutes({ checks: deps.healthChecks });
  const metrics = metricsRoutes(deps.metrics);
  const rest = restRoutes(deps);
  app.use('/health', health.router);
  if (deps.users.length > 0) app.use(basicAuth(deps.users));
  app.use('/metrics', metrics.router);
  app.use(
    openApiRoutes(() =>
      buildOpenApiDocument(DOCUMENT_INFO, [
        ...rest.operationsAt(REST_PATH),
        ...health.operationsAt('/health'),
        ...metrics.operationsAt('/metrics'),
      ]),
    ),
  );
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

  app.use(`${REST_PATH}/engine/:engineName`, onlyDefaultEngine, rest.router);
  app.use(REST_PATH, rest.router);
  app.use(landingPage());

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger.child({ component: 'http' }), deps.dependencyDown));
  return app;
}

/** Every REST resource, each documented where its routes are registered. */
function restRoutes(deps: AppDependencies): ApiRouter {
  const rest = new ApiRouter({ tag: 'Engine' });
  rest.mount('', engineRoutes());
  rest.mount('/deployment', deploymentRoutes(deps.services, deps.bodyLimit));
  rest.mount('/process-definition', processDefinitionRoutes(deps.services));
  rest.mount('/process-definition', restartRoutes(deps.services));
  rest.mount('/process-instance', processInstanceRoutes(deps.services));
  rest.mount('/process-instance', instanceModificationRoutes(deps.services));
  rest.mount('/migration', migrationRoutes(deps.services));
  rest.mount('/modification', modificationRoutes(deps.services));
  rest.mount('/history/user-operation', userOperationLogRoutes(deps.services));
  rest.mount('/batch', batchRoutes(deps.services));
  rest.mount('/history/batch', historicBatchRoutes(deps.services));
  rest.mount('/message', messageRoutes(deps.services));
  rest.mount('/signal', signalRoutes(deps.services));
  rest.mount('/condition', conditionRoutes(deps.services));
  rest.mount('/event-subscription', eventSubscriptionRoutes(deps.services));
  rest.mount('/execution', executionRoutes(deps.services));
  rest.mount('/job', jobRoutes(deps.services));
  rest.mount('/job-definition', jobDefinitionRoutes(deps.services));
  rest.mount('/incident', incidentRoutes(deps.services));
  rest.mount('/history', historyRoutes(deps.services));
  rest.mount('/task', taskRoutes(deps.services));
  rest.mount('/external-task', externalTaskRetriesRoutes(deps.services));
  rest.mount('/external-task', externalTaskRoutes(deps.services));
  return rest;
}

const onlyDefaultEngine: RequestHandler<{ engineName: string }> = (req, _res, next) => {
  if (req.params.engineName === ENGINE_NAME) {
    next();
    return;
  }
  next(new InvalidRequestException(400, `No process engine available with name '${req.params.engineName}'`));
};
