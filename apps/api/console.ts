import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { BULL_BOARD_PATH } from './bull-board';

/** Where the operators' console is served. */
export const CONSOLE_PATH = '/console';

/**
 * Where `npm run build` puts the console's assets (`apps/console/build.mjs`): `dist/console` under the
 * project root, found from the source (`apps/api`) and from the build (`dist/apps/api`) alike.
 */
export const CONSOLE_ASSETS = ((): string => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'console');
  }
  return path.resolve(__dirname, '..', '..', 'console');
})();

/**
 * The console (a single page; its views are addressed by the location hash) and its assets, all
 * local. When the assets were not built, a 503 says how to build them.
 */
export function consoleRouter(assets: string): Router {
  const router = Router();
  const index = path.join(assets, 'index.html');
  router.use('/assets', express.static(assets, { index: false }));
  router.get('/', (_req, res) => {
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send('The console is not built: run `npm run build` (npm start and npm test do).');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}

const LINKS: ReadonlyArray<readonly [string, string, string]> = [
  ['/engine-rest', 'REST API', 'the Camunda 7 REST dialect (also at /engine-rest/engine/default)'],
  [CONSOLE_PATH, 'Console', 'batches, their progress and failures, instances on the diagram'],
  [BULL_BOARD_PATH, 'Bull Board', 'the BullMQ queues (read-only)'],
  ['/metrics', 'Metrics', 'Prometheus text format'],
  ['/health/live', 'Liveness', 'answers while the process runs'],
  ['/health/ready', 'Readiness', 'MySQL, schema and Redis checks'],
  ['/docs/', 'API docs', 'Swagger UI over the OpenAPI document (/openapi.json)'],
];

/** The landing page at `/`: where everything is. */
export function landingPage(): Router {
  const router = Router();
  const items = LINKS.map(
    ([href, name, what]) => `<li><a href="${href}">${name}</a> <code>${href}</code> — ${what}</li>`,
  ).join('\n      ');
  const html = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>batch-ops</title>
  <style>body{font-family:system-ui,sans-serif;margin:40px;color:#1f2933}li{margin:8px 0}code{color:#66768a}</style></head>
  <body>
    <h1>batch-ops</h1>
    <p>Batch migration and modification of BPMN process instances, speaking the Camunda 7 REST dialect.</p>
    <ul>
      ${items}
    </ul>
  </body>
</html>
`;
  router.get('/', (_req, res) => {
    res.type('html').send(html);
  });
  return router;
}
