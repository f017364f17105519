import type { Request } from 'express';
import request from 'supertest';
import type { OpenApiDocument } from '../../apps/api/openapi/document';
import { servedRoutes } from '../support/express-routes';
import { openApi31Errors } from '../support/openapi-schema';
import { startTestStack, type TestStack } from '../support/test-stack';

/** Served for people, not part of the REST API: the console, Bull Board, the landing page, the docs. */
const NOT_API = [
  /^\/console(\/|$)/,
  /^\/admin\/queues/,
  /^\/$/,
  /^\/docs(\/|$)/,
  /^\/(engine-rest\/)?openapi\.json$/,
];
/** Camunda's engine-name alias of every REST resource. */
const ENGINE_ALIAS = '/engine-rest/engine/:engineName';

describe('the OpenAPI document', () => {
  let stack: TestStack;
  let document: OpenApiDocument;
  beforeAll(async () => {
    stack = await startTestStack();
    document = (await request(stack.app).get('/openapi.json').expect(200)).body as OpenApiDocument;
  });
  afterAll(() => stack.close());

  it('is a valid OpenAPI 3.1 document', () => {
    expect(openApi31Errors(document)).toEqual([]);
    expect(document.openapi).toBe('3.1.0');
  });

  it('documents every route express serves', () => {
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const undocumented = servedRoutes(stack.app)
      .map((route) => ({ ...route, path: route.path.replace(ENGINE_ALIAS, '/engine-rest') }))
      .filter((route) => !NOT_API.some((pattern) => pattern.test(route.path)))
      .map((route) => `${route.method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`)
      .filter((route) => !documented.has(route));
    expect(undocumented).toEqual([]);
    expect(documented.size).toBeGreaterThan(100);
  });

  it('marks the operations beyond Camunda with x-beyond-camunda and a tag', () => {
    const progress = document.paths['/engine-rest/batch/{id}/progress']!.get!;
    expect(progress['x-beyond-camunda']).toBe(true);
    expect(progress.tags).toContain('Beyond Camunda');
    const migrate = document.paths['/engine-rest/migration/executeAsync']!.post!;
    expect(migrate['x-beyond-camunda']).toBeUndefined();
    expect(migrate.responses['200']!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/BatchDto',
    });
    expect(migrate.responses['400']!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/ExceptionDto',
    });
  });

  it('is served under the REST prefix too', async () => {
    const again = await request(stack.app).get('/engine-rest/openapi.json').expect(200);
    expect(again.body).toEqual(document);
  });

  it('is browsable with Swagger UI at /docs, its assets served locally', async () => {
    await request(stack.app).get('/docs').expect(301).expect('Location', '/docs/');
    const page = await request(stack.app).get('/docs/').expect(200).expect('Content-Type', /html/);
    expect(page.text).toContain('swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\//);
    await request(stack.app)
      .get('/docs/swagger-ui-bundle.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await request(stack.app).get('/docs/swagger-ui.css').expect(200).expect('Content-Type', /css/);
    const initializer = await request(stack.app).get('/docs/initializer.js').expect(200);
    expect(initializer.text).toContain("url: '/openapi.json'");
  });

  it("checks the suite's answers against the document, status and body", async () => {
    await request(stack.app).get('/engine-rest/batch/nope').expect(404);
    await request(stack.app).get('/engine-rest/batch/count').expect(200);
    expect(stack.contract.seen).toContain('GET /engine-rest/batch/{id} 404');
    expect(stack.contract.seen).toContain('GET /engine-rest/batch/count 200');
    const req = { method: 'GET', originalUrl: '/engine-rest/batch/count' } as Request;
    stack.contract.check(req, 200, { count: 'three' });
    stack.contract.check(req, 418, { type: 'Teapot', message: 'no', code: null });
    // A request refused before any route is the document's default answer, not a violation.
    const version = { method: 'GET', originalUrl: '/engine-rest/version' } as Request;
    const refused = (message: string) => ({ type: 'InvalidRequestException', message, code: null });
    stack.contract.check(version, 400, refused('Malformed URL: x'));
    stack.contract.check(version, 400, refused('The request body nests deeper than 1000 levels'));
    stack.contract.check(version, 400, refused('Invalid count'));
    const found = stack.contract.violations.splice(0);
    expect(found).toEqual([
      expect.stringMatching(/^GET \/engine-rest\/batch\/count 200: .*count must be integer/),
      'GET /engine-rest/batch/count 418: status not documented (/engine-rest/batch/count → {"type":"Teapot","message":"no","code":null})',
      expect.stringMatching(/^GET \/engine-rest\/version 400: status not documented .*Invalid count/),
    ]);
  });
});
