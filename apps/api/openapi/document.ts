import { z } from 'zod';
import { exceptionDto } from './schemas';
import { TEXT, type Operation } from './api-router';

/** An OpenAPI 3.1 document, as served at `/openapi.json`. */
export type OpenApiDocument = Record<string, unknown> & {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
};

/** The parts of an operation object the tests read. */
export interface OpenApiOperation {
  readonly operationId: string;
  readonly tags: readonly string[];
  readonly 'x-beyond-camunda'?: true;
  readonly responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
  readonly [field: string]: unknown;
}

export type JsonSchema = Record<string, unknown>;

export interface DocumentInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

const COMPONENTS = '#/components/schemas/';
/** Where zod puts a named schema it met inside another one rather than at the top. */
const SHARED = `${COMPONENTS}__shared#/$defs/`;
const BEYOND_CAMUNDA_TAG = 'Beyond Camunda';

/**
 * Builds the OpenAPI 3.1 document of `operations` (absolute paths in express syntax). Every request
 * and response schema is zod's own JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1): named
 * schemas (an `id` in their metadata) become components, the others stay inline.
 */
export function buildOpenApiDocument(info: DocumentInfo, operations: readonly Operation[]): OpenApiDocument {
  const responses = new SchemaSet('output');
  const requests = new SchemaSet('input');
  const errorRef = responses.ref(exceptionDto);
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const operation of operations) {
    const path = toOpenApiPath(operation.path);
    const operationId = uniqueId(operationIds, `${operation.method}${pascal(operation.path)}`);
    const entry: Record<string, unknown> = {
      operationId,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: operation.beyondCamunda ? [operation.tag, BEYOND_CAMUNDA_TAG] : [operation.tag],
      ...(operation.beyondCamunda ? { 'x-beyond-camunda': true } : {}),
      parameters: parameters(operation, requests),
      ...(operation.body ? { requestBody: requestBody(operation.body, requests) } : {}),
      responses: {
        ...Object.fromEntries(
          Object.entries(operation.responses).map(([status, schema]) => [
            status,
            schema === null
              ? { description: 'No content.' }
              : schema === TEXT
                ? { description: 'Success.', content: { [TEXT]: { schema: { type: 'string' } } } }
                : {
                    description: 'Success.',
                    content: { 'application/json': { schema: responses.ref(schema) } },
                  },
          ]),
        ),
        ...Object.fromEntries(
          errorStatuses(operation).map((status) => [
            String(status),
            { description: 'Camunda error.', content: { 'application/json': { schema: errorRef } } },
          ]),
        ),
        default: {
          description:
            'Camunda error: 400 for a URL or JSON body that cannot be read (`Malformed …`, a body nesting deeper than 1,000 levels), 401 without valid credentials, 413 for a too large body, 415 for a body in an unsupported encoding or charset, 500 for an unexpected failure, 503 while MySQL or Redis is unreachable.',
          content: { 'application/json': { schema: errorRef } },
        },
      },
    };
    (paths[path] ??= {})[operation.method] = entry;
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    tags: tagsOf(operations),
    paths: paths as OpenApiDocument['paths'],
    components: {
      schemas: { ...requests.components(), ...responses.components() },
      securitySchemes: { basic: { type: 'http', scheme: 'basic' } },
    },
    security: [{ basic: [] }, {}],
  };
}

/**
 * The statuses an operation answers with Camunda's error body: its own, and 400 for every operation with
 * a path parameter (a parameter that is not valid URL encoding is refused before the route runs).
 */
function errorStatuses(operation: Operation): number[] {
  const statuses = new Set(operation.errors ?? []);
  if (operation.path.includes(':')) statuses.add(400);
  return [...statuses].sort((a, b) => a - b);
}

/** `/process-instance/:id/variables/:name` → `/process-instance/{id}/variables/{name}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

function parameters(operation: Operation, requests: SchemaSet): unknown[] {
  const pathParameters = [...operation.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const shape = operation.query?.shape ?? {};
  const queryParameters = Object.entries(shape).map(([name, schema]) => {
    const described = z.globalRegistry.get(schema as z.ZodType)?.description;
    return {
      name,
      in: 'query',
      required: false,
      ...(described ? { description: described } : {}),
      schema: requests.ref(
        schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : (schema as z.ZodType),
      ),
    };
  });
  return [...pathParameters, ...queryParameters];
}

function requestBody(body: NonNullable<Operation['body']>, requests: SchemaSet): unknown {
  if ('multipart' in body) {
    return { required: true, content: { 'multipart/form-data': { schema: requests.ref(body.multipart) } } };
  }
  return { content: { 'application/json': { schema: requests.ref(body) } } };
}

function tagsOf(operations: readonly Operation[]): unknown[] {
  const names = [...new Set(operations.map((operation) => operation.tag))].sort();
  return [
    ...names.map((name) => ({ name })),
    {
      name: BEYOND_CAMUNDA_TAG,
      description: "Operations that Camunda 7's REST API does not have (marked `x-beyond-camunda: true`).",
    },
  ];
}

function pascal(path: string): string {
  return path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

function uniqueId(taken: Set<string>, wanted: string): string {
  let id = wanted;
  for (let n = 2; taken.has(id); n++) id = `${wanted}${n}`;
  taken.add(id);
  return id;
}

/**
 * The schemas of one direction (request input or response output), converted together so that named
 * schemas are emitted once as components and referenced everywhere else.
 */
class SchemaSet {
  readonly #registry = z.registry<{ id: string }>();
  readonly #anonymous = new Map<z.ZodType, string>();
  #converted: Record<string, JsonSchema> | undefined;
  /** Placeholders handed out by `ref`, filled in by `components()`. */
  readonly #placeholders: Array<{ target: JsonSchema; id: string }> = [];

  constructor(private readonly io: 'input' | 'output') {}

  /** A placeholder for `schema`: a `$ref` when it is named, its inline JSON Schema otherwise. */
  ref(schema: z.ZodType): JsonSchema {
    const named = z.globalRegistry.get(schema)?.id;
    const id = named ?? this.#anonymous.get(schema) ?? `${this.io}${this.#anonymous.size}`;
    if (!named) this.#anonymous.set(schema, id);
    if (!this.#registry.has(schema)) this.#registry.add(schema, { id });
    const target: JsonSchema = {};
    this.#placeholders.push({ target, id });
    return target;
  }

  /** Fills the placeholders; answers the named schemas, to put under `components.schemas`. */
  components(): Record<string, JsonSchema> {
    const converted = (this.#converted ??= this.#convert());
    for (const { target, id } of this.#placeholders) {
      Object.assign(target, this.#isAnonymous(id) ? converted[id] : { $ref: `${COMPONENTS}${id}` });
    }
    // An anonymous schema stays a component too when another schema refers to it.
    const text = JSON.stringify(converted);
    return Object.fromEntries(
      Object.entries(converted).filter(
        ([id]) => !this.#isAnonymous(id) || text.includes(`"${COMPONENTS}${id}"`),
      ),
    );
  }

  #isAnonymous(id: string): boolean {
    return [...this.#anonymous.values()].includes(id);
  }

  #convert(): Record<string, JsonSchema> {
    const { schemas } = z.toJSONSchema(this.#registry, {
      target: 'draft-2020-12',
      io: this.io,
      unrepresentable: 'any',
      uri: (id) => `${COMPONENTS}${id}`,
    });
    const { __shared: shared, ...rest } = schemas as Record<string, JsonSchema>;
    const defs = (shared?.$defs ?? {}) as Record<string, JsonSchema>;
    return tidy({ ...rest, ...defs }) as Record<string, JsonSchema>;
  }
}

/** Drops what zod adds for standalone documents (`$schema`, `$id`, the safe-integer bounds), fixes refs. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$schema' || key === '$id') continue;
    if ((key === 'minimum' || key === 'maximum') && Math.abs(inner as number) === Number.MAX_SAFE_INTEGER)
      continue;
    result[key] =
      key === '$ref' && typeof inner === 'string' ? inner.replace(SHARED, COMPONENTS) : tidy(inner);
  }
  return result;
}
