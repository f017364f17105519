import { startWorker } from '../../apps/worker/worker';
import { startApp, type RunningProcess } from './processes';
import { serviceUrls } from './services';
import type { TestStack } from './test-stack';

/** Real BullMQ workers for a test stack (same database and queue prefix); returns a stop function. */
export async function startTestWorker(stack: TestStack): Promise<() => Promise<void>> {
  const components = await startWorker(stack.infrastructure, stack.services);
  return async () => {
    for (const component of [...components].reverse()) await component.stop();
  };
}

/**
 * A worker process (the built `dist/apps/worker`) on a test stack's database and queue prefix, as
 * production runs it; `env` overrides the defaults (Redis, short lock and reconcile intervals).
 */
export function spawnWorkerProcess(stack: TestStack, env: Record<string, string> = {}): RunningProcess {
  return startApp('worker', {
    DATABASE_URL: stack.database.url,
    // A test that names a Redis Cluster runs on it alone.
    ...(env.REDIS_CLUSTER_NODES ? {} : { REDIS_URL: serviceUrls().redisUrl }),
    QUEUE_PREFIX: stack.config.queue.prefix,
    WORKER_CONCURRENCY: '2',
    WORKER_LOCK_DURATION_MS: '3000',
    WORKER_RECONCILE_INTERVAL_MS: '1000',
    LOG_LEVEL: 'warn',
    ...env,
  });
}

/** Kills what is still running of `workers` and waits until every one has exited. */
export async function stopWorkerProcesses(workers: readonly RunningProcess[]): Promise<void> {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.finished));
}
