import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { OpenApiDocument } from '../../apps/api/openapi/document';

/**
 * Statuses any operation may answer (the document's `default` response): credentials, a body too large
 * or in an unsupported encoding or charset, an unexpected failure, an outage.
 */
const GENERIC_STATUSES = new Set([401, 413, 415, 500, 503]);
/** Camunda's named-engine form of every resource (another engine name is refused before any route). */
const ENGINE_ALIAS = /^\/engine-rest\/engine\/default(?=\/|$)/;
/** Another (or an undecodable) engine name: refused with a 400 before any route, so no operation's answer. */
const OTHER_ENGINE = /^\/engine-rest\/engine\/[^/]+/;

/**
 * A 400 for a request that could not be read at all (a URL that is not valid URL encoding, a body that is
 * not JSON or nests too deep), answered before any route runs: the document's `default` response.
 */
function isMalformedRequest(status: number, body: unknown): boolean {
  const message = (body as { message?: unknown } | undefined)?.message;
  return (
    status === 400 &&
    typeof message === 'string' &&
    /^(Malformed (URL|JSON in request body)|The request body nests deeper than)/.test(message)
  );
}

interface Route {
  readonly template: string;
  readonly pattern: RegExp;
  /** Literal segments first: `/batch/count` wins over `/batch/{id}`. */
  readonly parameters: number;
}

/**
 * Checks every JSON answer of an app against the OpenAPI document it serves: the status must be
 * documented for the operation, and the body must match its schema. Validators are compiled once
 * per operation and status. What does not match is collected in {@link violations}.
 */
export class ContractCheck {
  readonly violations: string[] = [];
  /** `METHOD path-template status` of every answer seen. */
  readonly seen = new Set<string>();
  // Dates are checked by their pattern (Camunda's format is no RFC 3339 date-time).
  readonly #ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #routes: Route[];

  constructor(private readonly document: OpenApiDocument) {
    this.#ajv.addSchema(document as object, 'openapi.json');
    this.#routes = Object.keys(document.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}/?$`),
        parameters: (template.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.parameters - b.parameters);
  }

  /** `app` behind a hook that checks each answer. */
  wrap(app: Express): Express {
    const outer = express();
    outer.use((req: Request, res: Response, next: NextFunction) => {
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        try {
          this.check(req, res.statusCode, body);
        } catch (error) {
          this.violations.push(`${req.method} ${req.originalUrl}: cannot check (${String(error)})`);
        }
        return json(body);
      };
      res.on('finish', () => {
        if (res.statusCode === 204) this.check(req, 204, undefined);
      });
      next();
    });
    outer.use(app);
    return outer;
  }

  check(req: Request, status: number, body: unknown): void {
    const path = req.originalUrl.split('?')[0]!.replace(ENGINE_ALIAS, '/engine-rest');
    if (OTHER_ENGINE.test(path)) return;
    const route = this.#routes.find((candidate) => candidate.pattern.test(path));
    const method = req.method.toLowerCase();
    const operation = route && this.document.paths[route.template]![method];
    if (!route || !operation) return; // not the API: the console, the docs, a 404 for an unknown path
    const where = `${req.method} ${route.template} ${status}`;
    this.seen.add(where);
    const response = operation.responses[String(status)];
    if (!response) {
      if (!GENERIC_STATUSES.has(status) && !isMalformedRequest(status, body)) {
        this.violations.push(
          `${where}: status not documented (${req.originalUrl.slice(0, 200)} → ${JSON.stringify(body ?? null).slice(0, 300)})`,
        );
      }
      return;
    }
    if (body === undefined) return;
    const validate = this.#validator(route.template, method, String(status));
    if (validate && !validate(body)) {
      this.violations.push(
        `${where}: ${this.#ajv.errorsText(validate.errors)} in ${JSON.stringify(body).slice(0, 300)}`,
      );
    }
  }

  #validator(template: string, method: string, status: string): ValidateFunction | undefined {
    const key = `${method} ${template} ${status}`;
    if (!this.#validators.has(key)) {
      const pointer = [
        'paths',
        template,
        method,
        'responses',
        status,
        'content',
        'application/json',
        'schema',
      ]
        .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/');
      const content = this.document.paths[template]![method]!.responses[status]!.content;
      if (!content) return undefined;
      this.#validators.set(key, this.#ajv.compile({ $ref: `openapi.json#/${pointer}` }));
    }
    return this.#validators.get(key);
  }
}
