import type { NextFunction, Request, Response } from 'express';
import { ProcessEngineException } from '@libs/engine';
import type { ErrorResponse } from './error-envelope';

/** The path parameters of the route that declared the override (the error handler's own are empty). */
export type RouteParams = Readonly<Record<string, string | undefined>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor signature
type ErrorClass<E extends Error> = abstract new (...args: any[]) => E;

/**
 * One Camunda quirk of a route, as data: an error of class `error` (for which `when` holds) is answered
 * with `status` and `type` instead of its usual mapping. The message is the error's own unless
 * `message` rewords it; `code` is the engine error's with `keepCode` (Camunda: a REST exception whose
 * cause is the engine error), otherwise `null`. Extension fields such as `validationReport` are dropped.
 */
export interface ErrorOverride<E extends Error = Error> {
  readonly error: ErrorClass<E>;
  /** Default: every error of the class. */
  when?(error: E, params: RouteParams): boolean;
  readonly status: number | ((error: E) => number);
  /** Default `InvalidRequestException`. */
  readonly type?: string;
  message?(error: E, params: RouteParams): string;
  readonly keepCode?: boolean;
}

/** An override row with its error type inferred from the class (`errorAs(NotFoundException, {…})`). */
export function errorAs<E extends Error>(
  error: ErrorClass<E>,
  answer: Omit<ErrorOverride<E>, 'error'>,
): ErrorOverride {
  return { error, ...answer } as ErrorOverride;
}

const OVERRIDES = 'errorOverrides';

/** Generic in the route's parameters, so that it leaves the inference of `req.params` to the handler. */
type DeclaringMiddleware = <P>(req: Request<P>, res: Response, next: NextFunction) => void;

/**
 * Route (or router) middleware declaring its Camunda quirks: the error handler answers an error with the
 * first matching row. Rows of an inner declaration come before those of an outer one. Declare them on
 * routes rather than on a router that shares its mount path with others, as a router's rows stay with
 * the request after it leaves that router.
 */
export function errorOverrides(...rows: readonly ErrorOverride[]): DeclaringMiddleware {
  return (req, res, next) => {
    declareErrorOverrides(req, res, ...rows);
    next();
  };
}

/**
 * Declares rows from inside a handler, for quirks that depend on what it found out (the definition a
 * key names): they apply to the errors thrown after this call, before any row declared earlier.
 */
export function declareErrorOverrides<P>(
  req: Request<P>,
  res: Response,
  ...rows: readonly ErrorOverride[]
): void {
  const params = req.params as RouteParams;
  res.locals[OVERRIDES] = [...rows.map((row) => ({ row, params })), ...declaredOverrides(res)];
}

interface Declared {
  readonly row: ErrorOverride;
  readonly params: RouteParams;
}

function declaredOverrides(res: Response): readonly Declared[] {
  return (res.locals[OVERRIDES] as readonly Declared[] | undefined) ?? [];
}

/** The answer the request's declared overrides give `error`, if one applies. */
export function overriddenResponse(error: unknown, res: Response): ErrorResponse | undefined {
  if (!(error instanceof Error)) return undefined;
  const declared = declaredOverrides(res).find(
    ({ row, params }) => error instanceof row.error && (row.when?.(error, params) ?? true),
  );
  if (!declared) return undefined;
  const { row, params } = declared;
  const status = typeof row.status === 'number' ? row.status : row.status(error);
  const code = row.keepCode && error instanceof ProcessEngineException ? error.code : null;
  const message = row.message?.(error, params) ?? error.message;
  return { status, body: { type: row.type ?? 'InvalidRequestException', message, code } };
}
