import { logLines, startApp } from '../support/processes';
import { freePort, waitUntil } from '../support/redis-server';
import { createTestDatabase, serviceUrls, uniqueToken, type TestDatabase } from '../support/services';

describe('processes', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    const migrated = await startApp('migrate', {
      DATABASE_URL: database.url,
      REDIS_URL: serviceUrls().redisUrl,
    }).finished;
    expect(migrated.code).toBe(0);
  });
  afterAll(() => database.drop());

  it('refuse to start on an invalid configuration and list every invalid key', async () => {
    const run = await startApp('api', { DATABASE_URL: 'postgres://nope', PORT: 'eighty', LOG_FORMAT: 'xml' })
      .finished;
    expect(run.code).toBe(78);
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'PORT', 'LOG_FORMAT']) expect(run.stderr).toContain(key);
  });

  it.each(['api', 'standalone'] as const)('%s serves, then shuts down cleanly on SIGTERM', async (app) => {
    const port = await freePort();
    const running = startApp(app, {
      DATABASE_URL: database.url,
      REDIS_URL: serviceUrls().redisUrl,
      QUEUE_PREFIX: `test-${uniqueToken()}`,
      PORT: String(port),
    });
    await waitUntil(async () => {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
      return response?.status === 200;
    });

    running.child.kill('SIGTERM');
    const finished = await running.finished;

    expect(finished.code).toBe(0);
    const messages = logLines(finished.stdout).map((line) => line.message);
    expect(messages).toEqual(expect.arrayContaining(['api listening', 'shutting down', 'stopped']));
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });

  it('worker starts and stops on SIGTERM', async () => {
    const running = startApp('worker', {
      DATABASE_URL: database.url,
      REDIS_URL: serviceUrls().redisUrl,
      QUEUE_PREFIX: `test-${uniqueToken()}`,
    });
    await waitUntil(() => running.output().includes('worker started'));
    running.child.kill('SIGTERM');
    const finished = await running.finished;
    expect(finished.code).toBe(0);
    expect(logLines(finished.stdout).map((line) => line.message)).toContain('stopped');
  });

  it('worker serves its metrics on WORKER_METRICS_PORT, and none without it', async () => {
    const port = await freePort();
    const running = startApp('worker', {
      DATABASE_URL: database.url,
      REDIS_URL: serviceUrls().redisUrl,
      QUEUE_PREFIX: `test-${uniqueToken()}`,
      WORKER_METRICS_PORT: String(port),
    });
    await waitUntil(() => running.output().includes('worker started'));

    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    const page = await response.text();
    const elsewhere = await fetch(`http://127.0.0.1:${port}/other`);

    expect(response.status).toBe(200);
    expect(page).toContain('# TYPE batch_ops_batch_items_total counter');
    expect(page).toContain('batch_ops_queue_jobs{queue="batch-execution",state="waiting"}');
    expect(elsewhere.status).toBe(404);
    running.child.kill('SIGTERM');
    expect((await running.finished).code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
