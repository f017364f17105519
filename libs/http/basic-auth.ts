import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { RestException } from './rest-exception';

export interface BasicAuthUser {
  readonly id: string;
  readonly password: string;
}

declare module 'express-serve-static-core' {
  interface Locals {
    /** The authenticated user id, when HTTP Basic authentication is enabled (becomes `createUserId`). */
    userId?: string;
  }
}

/**
 * HTTP Basic authentication against a fixed user list. Passwords are compared through SHA-256
 * digests with `timingSafeEqual`, so neither length nor content leaks through timing.
 */
export function basicAuth(users: readonly BasicAuthUser[], realm = 'batch-ops'): RequestHandler {
  const digests = new Map(users.map((user) => [user.id, digest(user.password)]));
  return (req, res, next) => {
    const credentials = parseBasic(req.get('authorization'));
    const expected = credentials ? digests.get(credentials.id) : undefined;
    const matches =
      credentials !== undefined &&
      expected !== undefined &&
      timingSafeEqual(expected, digest(credentials.password));
    if (!credentials || !matches) {
      res.setHeader('WWW-Authenticate', `Basic realm="${realm}"`);
      next(new RestException(401, credentials ? 'Invalid user name or password' : 'Authentication required'));
      return;
    }
    res.locals.userId = credentials.id;
    next();
  };
}

/** The authenticated user of a request, or `null` when authentication is disabled. */
export function authenticatedUserId(res: Response): string | null {
  return res.locals.userId ?? null;
}

function parseBasic(header: string | undefined): BasicAuthUser | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
