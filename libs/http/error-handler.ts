import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '@libs/logging';
import { toErrorResponse } from './error-envelope';
import { overriddenResponse } from './error-overrides';
import type { DependencyProbe } from './unavailable';
import { RestException } from './rest-exception';

/** Answers every request no route took with a Camunda-shaped 404. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new RestException(404, `No resource matches ${req.method} ${req.path}`));
};

/**
 * Turns any error into Camunda's `{type, message, code}` body: by the route's declared
 * {@link errorOverrides} where one applies, otherwise by {@link toErrorResponse}. Server errors are logged with their
 * stack; an unavailable dependency (503) is a warning, as many requests meet it at once; client
 * errors are the caller's business and logged at debug only.
 */
export function errorHandler(logger: Logger, dependencyDown?: DependencyProbe): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, body, headers } =
      overriddenResponse(error, res) ?? toErrorResponse(error, dependencyDown);
    if (status === 503) {
      const reason = body.message;
      logger.warn('request refused', {
        method: req.method,
        path: req.path,
        status,
        reason,
        error: logged(error),
      });
    } else if (status >= 500) {
      logger.error('request failed', { method: req.method, path: req.path, status, error: logged(error) });
    } else {
      logger.debug('request rejected', { method: req.method, path: req.path, status, type: body.type });
    }
    res
      .status(status)
      .set(headers ?? {})
      .json(body);
  };
}

/**
 * An error as a log field: its own fields (a driver's `code`, `sql`) plus name, message and stack, which
 * are not enumerable and would otherwise be logged as `{}`.
 */
function logged(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return { ...error, name: error.name, message: error.message, stack: error.stack };
}
