import type { Express } from 'express';

/** A route express serves: its method and its full path in express syntax. */
export interface ServedRoute {
  readonly method: string;
  readonly path: string;
}

interface Layer {
  readonly rawPath?: unknown;
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
  readonly handle: { readonly stack?: readonly Layer[] };
}

/**
 * Every route of `app`, found by walking express' router stack (mounted routers included), so a test
 * sees what is served, whatever registered it.
 */
export function servedRoutes(app: Express): ServedRoute[] {
  const router = (app as unknown as { router: { stack: readonly Layer[] } }).router;
  return walk(router.stack, '');
}

function walk(stack: readonly Layer[], prefix: string): ServedRoute[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const paths = ([] as unknown[]).concat(layer.route.path).map(String);
      return paths.flatMap((path) =>
        Object.keys(layer.route!.methods).map((method) => ({ method, path: join(prefix, path) })),
      );
    }
    if (layer.handle.stack) {
      const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '';
      return walk(layer.handle.stack, join(prefix, mount === '/' ? '' : mount));
    }
    return [];
  });
}

function join(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix === '' ? '/' : prefix;
  return `${prefix}${path}`.replace(/\/{2,}/g, '/');
}
