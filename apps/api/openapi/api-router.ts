import { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { RouteParameters } from 'express-serve-static-core';
import type { z } from 'zod';

/** The HTTP methods the API answers. */
export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** A plain-text answer (a stack trace, Prometheus metrics). */
export const TEXT = 'text/plain';

/** A status code a route answers with: its JSON body's schema, `null` for none (204), or {@link TEXT}. */
export type DocumentedResponses = Readonly<Record<number, z.ZodType | null | typeof TEXT>>;

/**
 * What the OpenAPI document says of one route: required at its registration, so a route cannot be
 * added undocumented. Error statuses listed in `errors` answer Camunda's `{type, message, code}`.
 */
export interface OperationDoc {
  readonly summary: string;
  readonly description?: string;
  /** Overrides the router's tag. */
  readonly tag?: string;
  /** Beyond Camunda 7's REST API (also true for every route of a router made with `beyondCamunda`). */
  readonly beyondCamunda?: boolean;
  /** Query string parameters, each an optional string (or list) unless its schema says otherwise. */
  readonly query?: z.ZodObject;
  /** The JSON request body, or `multipart` for a form upload. */
  readonly body?: z.ZodType | { readonly multipart: z.ZodObject };
  readonly responses: DocumentedResponses;
  /** Statuses answered with Camunda's error body. */
  readonly errors?: readonly number[];
}

/** One documented route, its path relative to where its router is mounted (express syntax: `/:id`). */
export interface Operation extends OperationDoc {
  readonly method: HttpMethod;
  readonly path: string;
  readonly tag: string;
  readonly beyondCamunda: boolean;
}

type Handler<P extends string> = RequestHandler<RouteParameters<P>>;

export interface ApiRouterOptions {
  /** The tag grouping this router's operations in the document. */
  readonly tag: string;
  /** Every operation of this router goes beyond Camunda 7. */
  readonly beyondCamunda?: boolean;
}

/**
 * An express router whose routes are registered together with their OpenAPI description: the only way
 * to add a route is `get`/`post`/`put`/`delete` with an {@link OperationDoc}, and the document is built
 * from {@link ApiRouter.operationsAt}. Middleware without a path (`use`) and child routers (`mount`)
 * go through it too, so the document always matches what express serves.
 */
export class ApiRouter {
  readonly router: Router = Router();
  readonly #operations: Operation[] = [];

  constructor(private readonly options: ApiRouterOptions) {}

  get<P extends string>(path: P, doc: OperationDoc, ...handlers: Handler<P>[]): this {
    return this.#route('get', path, doc, handlers);
  }

  post<P extends string>(path: P, doc: OperationDoc, ...handlers: Handler<P>[]): this {
    return this.#route('post', path, doc, handlers);
  }

  put<P extends string>(path: P, doc: OperationDoc, ...handlers: Handler<P>[]): this {
    return this.#route('put', path, doc, handlers);
  }

  delete<P extends string>(path: P, doc: OperationDoc, ...handlers: Handler<P>[]): this {
    return this.#route('delete', path, doc, handlers);
  }

  /** Middleware for every route of this router (registered in order, like `router.use`). */
  use(...handlers: Array<RequestHandler | ErrorRequestHandler>): this {
    this.router.use(...handlers);
    return this;
  }

  /** Serves `child`'s routes under `path` (`''` for none); their documentation follows. */
  mount(path: string, child: ApiRouter): this {
    if (path === '') this.router.use(child.router);
    else this.router.use(path, child.router);
    this.#operations.push(...child.operationsAt(path));
    return this;
  }

  /** The documented operations, their paths under `prefix`. */
  operationsAt(prefix: string): readonly Operation[] {
    return this.#operations.map((operation) => ({
      ...operation,
      path: joinPath(prefix, operation.path),
    }));
  }

  #route<P extends string>(method: HttpMethod, path: P, doc: OperationDoc, handlers: Handler<P>[]): this {
    (this.router[method] as (path: string, ...handlers: unknown[]) => void)(path, ...handlers);
    this.#operations.push({
      ...doc,
      method,
      path,
      tag: doc.tag ?? this.options.tag,
      beyondCamunda: doc.beyondCamunda ?? this.options.beyondCamunda ?? false,
    });
    return this;
  }
}

/** `/a` + `/` is `/a`; `/a` + `/b` is `/a/b`. */
export function joinPath(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix === '' ? '/' : prefix;
  return `${prefix}${path}`;
}
