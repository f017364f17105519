import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import type { Config } from '@libs/config';
import type { Logger } from '@libs/logging';
import { createDataSource } from '@libs/persistence';
import { createRedisConnection, QueueFactory } from '@libs/queue';

/** The shared connections of one process. Built once by the composition root, closed last. */
export interface Infrastructure {
  readonly config: Config;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  /** Fail-fast connection for enqueueing and health checks. */
  readonly producer: Redis;
  /** Patient connection that BullMQ workers duplicate for their blocking reads. */
  readonly consumer: Redis;
  readonly queues: QueueFactory;
  close(): Promise<void>;
}

export async function openInfrastructure(
  config: Config,
  logger: Logger,
  processName: string,
): Promise<Infrastructure> {
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  const producer = createRedisConnection(config.redis.url, 'producer', `${processName}:producer`);
  const consumer = createRedisConnection(config.redis.url, 'worker', `${processName}:worker`);
  for (const [name, redis] of [
    ['producer', producer],
    ['consumer', consumer],
  ] as const) {
    redis.on('error', (error: Error) =>
      logger.warn('redis connection error', { connection: name, error: error.message }),
    );
  }
  const queues = new QueueFactory({ queuePrefix: config.queue.prefix, producer, consumer });
  return {
    config,
    logger,
    dataSource,
    producer,
    consumer,
    queues,
    async close() {
      await Promise.allSettled([producer.quit(), consumer.quit()]);
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
