import request from 'supertest';
import { seedWaitingOrders } from '../support/instances';
import { startApp, type RunningProcess } from '../support/processes';
import { DisposableRedisCluster } from '../support/redis-cluster';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { spawnWorkerProcess, stopWorkerProcesses } from '../support/worker';

/**
 * The service on a real Redis Cluster of three masters (`REDIS_CLUSTER_NODES`): the API and two worker
 * processes run a batch to its end with every instance handled exactly once (a deletion batch makes a
 * second application visible: a deleted instance cannot be deleted again, so its item would fail);
 * readiness checks the queues' own slot; and a process given one master as `REDIS_URL` refuses to run.
 */
describe('Redis Cluster', () => {
  let cluster: DisposableRedisCluster;
  let stack: TestStack;
  let workers: RunningProcess[] = [];
  const api = () => request(stack.app);
  const itemCount = async (batchId: string, state: string) =>
    (await api().get(`/engine-rest/batch/${batchId}/items/count?state=${state}`).expect(200)).body
      .count as number;

  beforeAll(async () => {
    cluster = await DisposableRedisCluster.start(3);
    stack = await startTestStack({
      env: {
        REDIS_CLUSTER_NODES: cluster.nodesSetting,
        BATCH_INVOCATIONS_PER_JOB: '25',
        BATCH_JOBS_PER_SEED: '10',
        BATCH_POLL_TIME_MS: '1000',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await stopWorkerProcesses(workers);
    await stack?.close();
    await cluster?.dispose();
  });

  it('is ready, with the Redis check answered on the queues slot', async () => {
    await waitUntil(async () => (await api().get('/health/ready')).status === 200, 20_000, 200);
    const ready = await api().get('/health/ready').expect(200);
    expect(JSON.stringify(ready.body)).toContain('redis');
  });

  it('runs a batch with two worker processes, every instance deleted exactly once', async () => {
    await seedWaitingOrders(stack, 'clustered', 1000);
    workers = [0, 1].map(() =>
      spawnWorkerProcess(stack, { REDIS_CLUSTER_NODES: cluster.nodesSetting, WORKER_CONCURRENCY: '2' }),
    );

    const created = await api()
      .post('/engine-rest/process-instance/delete')
      .send({ processInstanceQuery: { processDefinitionKey: 'clustered' } })
      .expect(200);
    const batchId = created.body.id as string;

    await waitUntil(
      async () => (await api().get(`/engine-rest/batch/${batchId}`)).status === 404,
      90_000,
      250,
    );
    expect(await itemCount(batchId, 'done')).toBe(1000);
    expect(await itemCount(batchId, 'failed')).toBe(0);
    expect(
      (await api().get('/engine-rest/process-instance/count?processDefinitionKey=clustered').expect(200)).body
        .count,
    ).toBe(0);
    expect((await api().get(`/engine-rest/history/batch/${batchId}`).expect(200)).body.endTime).toEqual(
      expect.any(String),
    );
    // Both workers took part, each through the cluster.
    for (const worker of workers) expect(worker.errors()).not.toMatch(/MOVED|CROSSSLOT/);
  }, 150_000);

  it('refuses to run with one master of the cluster given as REDIS_URL, naming REDIS_CLUSTER_NODES', async () => {
    const process = startApp('api', {
      DATABASE_URL: stack.database.url,
      REDIS_URL: cluster.nodes[0]!.url,
      PORT: '0',
      LOG_LEVEL: 'error',
    });
    const finished = await process.finished;

    expect(finished.code).toBe(78);
    expect(finished.stderr).toContain('REDIS_URL names a node of a Redis Cluster');
    expect(finished.stderr).toContain('REDIS_CLUSTER_NODES');
  }, 30_000);
});
