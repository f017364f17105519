import type { RequestHandler } from 'express';
import { ServiceUnavailableException } from './rest-exception';

/**
 * Recognises, by the error `code` Node and mysql2 set (never by message text), the failures that mean
 * the database cannot serve right now: unreachable, connection lost, too many connections, shutting
 * down. Requests that meet them are answered 503 with `Retry-After`; readiness reports them by the
 * same words, which name no host or port.
 */
const UNAVAILABLE: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection broken',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host down',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  PROTOCOL_CONNECTION_LOST: 'connection lost',
  PROTOCOL_SEQUENCE_TIMEOUT: 'no answer in time',
  PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR: 'connection failed earlier',
  ER_CON_COUNT_ERROR: 'too many connections',
  ER_TOO_MANY_USER_CONNECTIONS: 'too many connections for the user',
  ER_SERVER_SHUTDOWN: 'server shutting down',
  ER_CONNECTION_KILLED: 'connection killed',
};

/** Seconds a client should wait before retrying a request answered 503. */
export const RETRY_AFTER_SECONDS = 5;

/** The `code` of an error, of the driver error TypeORM wraps, or of its cause. */
export function errorCode(error: unknown): string | undefined {
  const candidates = [
    error,
    (error as { driverError?: unknown } | null)?.driverError,
    (error as { cause?: unknown } | null)?.cause,
  ];
  for (const candidate of candidates) {
    const code = (candidate as { code?: unknown } | null | undefined)?.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** What an unavailable-database error means, e.g. `connection refused (ECONNREFUSED)`; else undefined. */
export function unavailability(error: unknown): string | undefined {
  const code = errorCode(error);
  const meaning = code === undefined ? undefined : UNAVAILABLE[code];
  return meaning === undefined ? undefined : `${meaning} (${code})`;
}

/**
 * A description of any failure that is safe to show an unauthenticated caller: its meaning and code,
 * or just its code, never its message (which may name hosts, ports or SQL).
 */
export function safeDescription(error: unknown): string {
  const code = errorCode(error);
  return unavailability(error) ?? (code === undefined ? 'failed' : `failed (${code})`);
}

/**
 * Names a dependency known to be down right now from its connection state (e.g. `Redis (reconnecting)`),
 * or `undefined` when all are up. Redis client errors carry no code, so a request that fails while
 * Redis is disconnected is answered 503 on this evidence.
 */
export type DependencyProbe = () => string | undefined;

/** Refuses requests with a 503 while `probe` reports a dependency down (for routes that only read it). */
export function whileAvailable(probe: DependencyProbe): RequestHandler {
  return (_req, _res, next) => {
    const down = probe();
    next(down === undefined ? undefined : new ServiceUnavailableException(`${down} is unavailable`));
  };
}
