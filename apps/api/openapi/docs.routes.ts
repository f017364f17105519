import path from 'node:path';
import express, { Router } from 'express';
import type { OpenApiDocument } from './document';

/** Where Swagger UI is served. */
export const DOCS_PATH = '/docs';
/** Where the OpenAPI document is served (also under the REST API's prefix). */
export const OPENAPI_PATHS = ['/openapi.json', '/engine-rest/openapi.json'] as const;

/** swagger-ui-dist's own files (its CSS and bundles), served from the installed package. */
const SWAGGER_UI_ASSETS = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>batch-ops REST API</title>
    <link rel="stylesheet" href="swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="swagger-ui-bundle.js"></script>
    <script src="initializer.js"></script>
  </body>
</html>
`;

const INITIALIZER = `window.ui = SwaggerUIBundle({
  url: '${OPENAPI_PATHS[0]}',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // Tags start folded: rendering every operation of so large a document at once takes seconds.
  docExpansion: 'none',
});
`;

/**
 * `GET /openapi.json` (and `/engine-rest/openapi.json`): the document, built once on first request.
 * `GET /docs/`: Swagger UI over it, every asset served locally from `swagger-ui-dist`.
 */
export function openApiRoutes(document: () => OpenApiDocument): Router {
  const router = Router();
  let built: OpenApiDocument | undefined;
  router.get([...OPENAPI_PATHS], (_req, res) => {
    res.json((built ??= document()));
  });
  router.get(DOCS_PATH, (req, res) => {
    // The page's assets are relative to `/docs/`.
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) {
      res.redirect(301, `${DOCS_PATH}/`);
      return;
    }
    res.type('html').set('Cache-Control', 'no-cache').send(PAGE);
  });
  router.get(`${DOCS_PATH}/initializer.js`, (_req, res) => {
    res.type('application/javascript').send(INITIALIZER);
  });
  router.use(DOCS_PATH, express.static(SWAGGER_UI_ASSETS, { index: false }));
  return router;
}
