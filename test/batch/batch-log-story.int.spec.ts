import { Redis } from 'ioredis';
import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { DisposableRedis, waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/** The batch component's lines about one batch, in the order they were written. */
const storyOf = (stack: TestStack, batchId: string) =>
  stack.logLines().filter((line) => line.component === 'batch' && line.batchId === batchId);

/** A batch's life reads as a story in the log, every line carrying its `batchId`. */
describe('the batch log story', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);

  const story = (batchId: string) => storyOf(stack, batchId);
  const told = async (batchId: string, message: string) => {
    await waitUntil(async () => story(batchId).some((line) => line.message === message), 30_000);
    return story(batchId);
  };

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '2', BATCH_JOBS_PER_SEED: '10', BATCH_POLL_TIME_MS: '60000' },
    });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it('tells created, seeding, each job done and completed, in that order', async () => {
    await deploy(stack.app, [
      { name: 'a.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'told') },
    ]).expect(200);
    for (let i = 0; i < 3; i += 1)
      await api().post('/engine-rest/process-definition/key/told/start').send({}).expect(200);
    const created = await api()
      .post('/engine-rest/process-instance/delete')
      .send({ processInstanceQuery: { processDefinitionKey: 'told' } })
      .expect(200);
    const batchId = created.body.id as string;

    const lines = await told(batchId, 'batch completed');
    expect(lines.map((line) => line.message)).toEqual([
      'batch created',
      'batch seeding',
      'batch job done',
      'batch job done',
      'batch completed',
    ]);
    const [createdLine, seeding, firstJob, secondJob, completed] = lines;
    expect(createdLine).toMatchObject({ level: 'info', type: 'instance-deletion', items: 3, totalJobs: 2 });
    expect(seeding).toMatchObject({ jobsCreated: 2, jobs: 2 });
    expect([firstJob!.items, secondJob!.items].sort()).toEqual([1, 2]);
    for (const job of [firstJob, secondJob]) {
      expect(job).toMatchObject({ level: 'info', batchJobId: expect.any(String), ms: expect.any(Number) });
    }
    expect(completed).toMatchObject({
      level: 'info',
      items: 3,
      totalMs: expect.any(Number),
      instancesPerSecond: expect.any(Number),
    });
  });

  it('tells a failed job with how many items failed and the first reason', async () => {
    const created = await api()
      .post('/engine-rest/job/retries')
      .send({ retries: 1, jobIds: ['ghost-1', 'ghost-2'] })
      .expect(200);
    const batchId = created.body.id as string;

    const lines = await told(batchId, 'batch job failed');
    expect(lines.map((line) => line.message)).toEqual(['batch created', 'batch seeding', 'batch job failed']);
    expect(lines[2]).toMatchObject({
      level: 'warn',
      batchJobId: expect.any(String),
      itemsFailed: 2,
      firstReason: "No job found with id 'ghost-1'.",
    });
  });

  describe('when Redis is down or loses its data', () => {
    let redis: DisposableRedis;
    let down: TestStack;

    beforeAll(async () => {
      redis = await DisposableRedis.start();
      down = await startTestStack({ env: { REDIS_URL: redis.url } });
    });
    afterAll(async () => {
      await down.close();
      await redis.dispose();
    });

    it('tells that the dispatch was deferred, and the reconciler runs the batch once Redis is back', async () => {
      // A BullMQ queue whose initialisation fails while Redis is down keeps failing once Redis is back, so
      // the queues are ready before Redis stops: this test is about the log, not about that.
      const { seed, execution, monitor } = down.services.batchQueues;
      await Promise.all([seed, execution, monitor].map((queue) => queue.waitUntilReady()));
      await redis.stop();
      const created = await request(down.app)
        .post('/engine-rest/job/retries')
        .send({ retries: 1, jobIds: ['ghost-3'] })
        .expect(200);
      const batchId = created.body.id as string;
      const lines = () => storyOf(down, batchId);
      expect(lines()).toEqual([
        expect.objectContaining({ message: 'batch created' }),
        expect.objectContaining({
          message: 'batch dispatch deferred to the reconciler',
          level: 'warn',
          what: 'seed',
          error: expect.any(String),
        }),
      ]);

      await redis.resume();
      // The reconciler's pass (a worker's, every WORKER_RECONCILE_INTERVAL_MS) until Redis answers.
      await waitUntil(
        () =>
          down.services.batchRedispatcher.reconcile().then(
            () => true,
            () => false,
          ),
        20_000,
      );
      const stopDownWorker = await startTestWorker(down);
      try {
        await waitUntil(async () => lines().some((line) => line.message === 'batch job failed'), 30_000);
      } finally {
        await stopDownWorker();
      }
      expect(lines().map((line) => line.message)).toEqual([
        'batch created',
        'batch dispatch deferred to the reconciler',
        'batch seeding',
        'batch job failed',
      ]);
    });

    it('tells how many jobs the reconciler dispatched again after Redis lost them', async () => {
      const created = await request(down.app)
        .post('/engine-rest/job/retries')
        .send({ retries: 1, jobIds: ['ghost-4'] })
        .expect(200);
      const batchId = created.body.id as string;
      expect(await down.services.batchSteps.seed(batchId)).toBe('seeded');
      const client = new Redis(redis.url);
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }

      expect(await down.services.batchRedispatcher.reconcile()).toBe(1);
      expect(down.logLines()).toContainEqual(
        expect.objectContaining({ message: 'batch reconciler re-dispatched', component: 'batch', jobs: 1 }),
      );
      const stopDownWorker = await startTestWorker(down);
      try {
        await waitUntil(async () =>
          storyOf(down, batchId).some((line) => line.message === 'batch job failed'),
        );
      } finally {
        await stopDownWorker();
      }
      expect(storyOf(down, batchId).map((line) => line.message)).toEqual([
        'batch created',
        'batch seeding',
        'batch job failed',
      ]);
    });
  });
});
