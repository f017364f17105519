import { safeDescription } from '@libs/http';
import { z } from 'zod';
import { ApiRouter } from './openapi/api-router';

/** A named dependency check; resolves when the dependency is usable. */
export type HealthCheck = () => Promise<void>;

/** A failed check whose message is safe to show anyone (it names no host, port or credentials). */
export class HealthCheckFailure extends Error {}

export interface HealthOptions {
  readonly checks: Readonly<Record<string, HealthCheck>>;
  /** How long a single check may take before it counts as down. */
  readonly timeoutMs?: number;
}

const readinessDto = z.object({
  status: z.enum(['UP', 'DOWN']),
  checks: z.record(
    z.string(),
    z.union([
      z.object({ status: z.literal('UP') }),
      z.object({ status: z.literal('DOWN'), error: z.string() }),
    ]),
  ),
});

type CheckResult = { status: 'UP' } | { status: 'DOWN'; error: string };

/**
 * `GET /health/live`: the process answers. `GET /health/ready`: every dependency answers; 503 with
 * the failing checks and their reasons otherwise. Neither needs authentication, so a reason never
 * carries a driver's message (which names the host and port): it is a {@link HealthCheckFailure}'s
 * own text, or what the error's code means (`connection refused (ECONNREFUSED)`).
 */
export function healthRoutes(options: HealthOptions): ApiRouter {
  const router = new ApiRouter({ tag: 'Health' });
  const timeoutMs = options.timeoutMs ?? 2_000;
  router.get(
    '/live',
    {
      summary: 'The process answers',
      beyondCamunda: true,
      responses: { 200: z.object({ status: z.literal('UP') }) },
    },
    (_req, res) => {
      res.json({ status: 'UP' });
    },
  );
  router.get(
    '/ready',
    {
      summary: 'Every dependency answers',
      beyondCamunda: true,
      responses: { 200: readinessDto, 503: readinessDto },
    },
    async (_req, res) => {
      const names = Object.keys(options.checks);
      const results = await Promise.all(names.map((name) => runCheck(options.checks[name]!, timeoutMs)));
      const checks = Object.fromEntries(names.map((name, i) => [name, results[i]]));
      const up = results.every((result) => result.status === 'UP');
      res.status(up ? 200 : 503).json({ status: up ? 'UP' : 'DOWN', checks });
    },
  );
  return router;
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HealthCheckFailure(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return { status: 'UP' };
  } catch (error) {
    return {
      status: 'DOWN',
      error: error instanceof HealthCheckFailure ? error.message : safeDescription(error),
    };
  } finally {
    clearTimeout(timer);
  }
}
