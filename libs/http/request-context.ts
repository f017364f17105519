import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { withLogContext, type Logger } from '@libs/logging';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller-supplied id is kept when it is short printable text, so ids can be traced across services. */
const ACCEPTABLE_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` or a new UUID), echoes it in the response,
 * makes it part of every log line written while the request is handled, and logs one access line.
 */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const offered = req.get(REQUEST_ID_HEADER);
    const requestId = offered !== undefined && ACCEPTABLE_ID.test(offered) ? offered : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const started = process.hrtime.bigint();
    withLogContext({ requestId }, () => {
      // Bound so the access line carries the request's log context, whatever emits 'finish'.
      res.on(
        'finish',
        AsyncResource.bind(() => {
          const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
          logger.http('request', {
            method: req.method,
            path: req.originalUrl,
            status: res.statusCode,
            durationMs: Math.round(durationMs * 10) / 10,
          });
        }),
      );
      next();
    });
  };
}
