import { BatchQueues, createRedisConnection, QueueFactory, type RedisConnection } from '@libs/queue';
import { serviceUrls, uniqueToken } from '../support/services';

describe('queues', () => {
  const queuePrefix = `test-${uniqueToken()}`;
  let producer: RedisConnection;
  let consumer: RedisConnection;
  let factory: QueueFactory;

  beforeAll(() => {
    const { redisUrl } = serviceUrls();
    producer = createRedisConnection(redisUrl, 'producer', 'queue-test:producer');
    consumer = createRedisConnection(redisUrl, 'worker', 'queue-test:worker');
    factory = new QueueFactory({ queuePrefix, producer, consumer });
  });
  afterAll(async () => {
    await producer.quit();
    await consumer.quit();
  });

  it('deliver a job from a producer to a worker, all keys under the {hash-tagged} prefix', async () => {
    const queue = factory.queue<{ value: number }>('echo');
    const seen: number[] = [];
    const worker = factory.worker<{ value: number }>('echo', async (job) => {
      seen.push(job.data.value);
      return job.data.value * 2;
    });
    try {
      const job = await queue.add('double', { value: 21 }, { jobId: 'echo-1' });
      await new Promise<void>((resolve) => worker.on('completed', () => resolve()));
      expect(seen).toEqual([21]);
      expect((await queue.getJob(job.id!))?.returnvalue).toBe(42);

      const keys = await producer.keys(`*${queuePrefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((key) => key.startsWith(`{${queuePrefix}}:echo:`))).toBe(true);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('name batch execution entries by batch type and item slice, with both in their data', async () => {
    const queues = new BatchQueues(factory);
    try {
      await queues.dispatchExecution(
        'b-1',
        [{ id: 'j-1', dispatch: 0, itemFirst: 1, itemLast: 200 }],
        'instance-migration',
      );
      await queues.dispatchExecution('b-1', [{ id: 'j-2', dispatch: 3 }]);

      const entries = await queues.execution.getJobs(['waiting']);
      const byJob = new Map(entries.map((entry) => [entry.data.jobId, entry]));
      expect(byJob.get('j-1')?.name).toBe('instance-migration execution items 1-200');
      expect(byJob.get('j-1')?.data).toEqual({
        batchId: 'b-1',
        jobId: 'j-1',
        type: 'instance-migration',
        itemFirst: 1,
        itemLast: 200,
      });
      expect(byJob.get('j-2')?.name).toBe('batch execution');
    } finally {
      await queues.execution.obliterate({ force: true });
      await queues.close();
    }
  });

  it('producer connections fail fast while Redis is unreachable instead of queueing commands', async () => {
    const unreachable = createRedisConnection('redis://127.0.0.1:1', 'producer', 'queue-test:unreachable');
    unreachable.on('error', () => undefined);
    try {
      await expect(unreachable.ping()).rejects.toThrow();
    } finally {
      unreachable.disconnect();
    }
  });
});
