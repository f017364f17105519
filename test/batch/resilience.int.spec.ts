import { Redis } from 'ioredis';
import request from 'supertest';
import type { RunningProcess } from '../support/processes';
import { seedWaitingOrders } from '../support/instances';
import { DisposableRedis, waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { spawnWorkerProcess, stopWorkerProcesses } from '../support/worker';

/**
 * Nothing is lost: a batch finishes with every instance handled exactly once although a worker process
 * is killed with SIGKILL mid-batch, or Redis is flushed mid-batch. The deletion batch makes a
 * second application visible: a deleted instance cannot be deleted again, so its item would fail.
 */
describe('batch resilience', () => {
  let stack: TestStack;
  let redis: DisposableRedis;
  let workers: RunningProcess[] = [];
  const api = () => request(stack.app);

  const spawnWorker = () => spawnWorkerProcess(stack, { REDIS_URL: redis.url });

  const seedInstances = (key: string, count: number) => seedWaitingOrders(stack, key, count);
  const itemCount = async (batchId: string, state: string) =>
    (await api().get(`/engine-rest/batch/${batchId}/items/count?state=${state}`).expect(200)).body
      .count as number;
  const expectCompletedExactlyOnce = async (batchId: string, key: string, total: number) => {
    await waitUntil(
      async () => (await api().get(`/engine-rest/batch/${batchId}`)).status === 404,
      90_000,
      250,
    );
    expect(await itemCount(batchId, 'done')).toBe(total);
    expect(await itemCount(batchId, 'failed')).toBe(0);
    expect(
      (await api().get(`/engine-rest/process-instance/count?processDefinitionKey=${key}`).expect(200)).body
        .count,
    ).toBe(0);
    expect((await api().get(`/engine-rest/history/batch/${batchId}`).expect(200)).body.endTime).toEqual(
      expect.any(String),
    );
  };

  beforeAll(async () => {
    // A Redis of its own, so that the flush below loses nothing of the other test files.
    redis = await DisposableRedis.start();
    stack = await startTestStack({
      env: {
        REDIS_URL: redis.url,
        BATCH_INVOCATIONS_PER_JOB: '10',
        BATCH_JOBS_PER_SEED: '20',
        BATCH_POLL_TIME_MS: '2000',
      },
    });
  });
  afterEach(async () => {
    await stopWorkerProcesses(workers);
    workers = [];
  });
  afterAll(async () => {
    await stack.close();
    await redis.dispose();
  });

  it('finishes with every instance deleted exactly once after one of two workers is killed mid-batch', async () => {
    await seedInstances('killed', 1200);
    workers = [spawnWorker(), spawnWorker()];
    await waitUntil(
      () =>
        workers.every(
          (worker) => worker.output().includes('worker started') || worker.child.exitCode === null,
        ),
      20_000,
    );

    const created = await api()
      .post('/engine-rest/process-instance/delete')
      .send({ processInstanceQuery: { processDefinitionKey: 'killed' } })
      .expect(200);
    const batchId = created.body.id as string;
    await waitUntil(async () => (await itemCount(batchId, 'done')) >= 150, 60_000, 50);
    workers[0]!.child.kill('SIGKILL');

    await expectCompletedExactlyOnce(batchId, 'killed', 1200);
  }, 150_000);

  it('finishes with every instance deleted exactly once after Redis was flushed mid-batch', async () => {
    await seedInstances('flushed', 800);
    workers = [spawnWorker()];
    const created = await api()
      .post('/engine-rest/process-instance/delete')
      .send({ processInstanceQuery: { processDefinitionKey: 'flushed' } })
      .expect(200);
    const batchId = created.body.id as string;
    await waitUntil(async () => (await itemCount(batchId, 'done')) >= 100, 60_000, 50);

    const client = new Redis(redis.url);
    try {
      expect((await client.keys(`{${stack.config.queue.prefix}}*`)).length).toBeGreaterThan(0);
      // Atomically: the worker keeps writing, so a separate DBSIZE could already count its new keys.
      const [flushed, size] = (await client.multi().flushall().dbsize().exec()) ?? [];
      expect(flushed).toEqual([null, 'OK']);
      expect(size).toEqual([null, 0]);
    } finally {
      client.disconnect();
    }

    await expectCompletedExactlyOnce(batchId, 'flushed', 800);
  }, 150_000);
});
