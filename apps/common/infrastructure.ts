import type { DataSource } from 'typeorm';
import type { Config } from '@libs/config';
import type { Logger } from '@libs/logging';
import { Metrics } from '@libs/metrics';
import { BatchReportRepository, createDataSource, sqlOf } from '@libs/persistence';
import {
  clusterNodeProblem,
  createRedisConnection,
  QUEUES,
  QueueFactory,
  type RedisConnection,
} from '@libs/queue';

/** The shared connections of one process. Built once by the composition root, closed last. */
export interface Infrastructure {
  readonly config: Config;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  /** Fail-fast connection for enqueueing and health checks. */
  readonly producer: RedisConnection;
  /** Patient connection that BullMQ workers duplicate for their blocking reads. */
  readonly consumer: RedisConnection;
  /** Why the configured Redis cannot serve this service at all (found once connected), if it cannot. */
  redisProblem(): string | undefined;
  readonly queues: QueueFactory;
  /** This process's Prometheus metrics (served by the API at `/metrics`). */
  readonly metrics: Metrics;
  close(): Promise<void>;
}

/** BullMQ states reported per queue. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/**
 * Opens the connections of one process. `onFatal` hears of a configuration the process cannot run with
 * that only shows once connected (a `REDIS_URL` naming a node of a Redis Cluster).
 */
export async function openInfrastructure(
  config: Config,
  logger: Logger,
  processName: string,
  onFatal: (problem: string) => void = () => undefined,
): Promise<Infrastructure> {
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  const producer = createRedisConnection(config.redis, 'producer', `${processName}:producer`);
  const consumer = createRedisConnection(config.redis, 'worker', `${processName}:worker`);
  let redisProblem: string | undefined;
  producer.on('ready', () => {
    clusterNodeProblem(producer).then(
      (problem) => {
        if (problem === undefined || redisProblem !== undefined) return;
        redisProblem = problem;
        logger.error('redis cannot serve this service', { problem });
        onFatal(problem);
      },
      (error: unknown) => logger.warn('redis topology check failed', { error }),
    );
  });
  for (const [name, redis] of [
    ['producer', producer],
    ['consumer', consumer],
  ] as const) {
    redis.on('error', (error: Error) =>
      logger.warn('redis connection error', { connection: name, error: error.message }),
    );
  }
  const queues = new QueueFactory({ queuePrefix: config.queue.prefix, producer, consumer });
  // Read at scrape time: what every process (workers included) left in MySQL and Redis.
  const reports = new BatchReportRepository();
  const queueHandles = Object.values(QUEUES).map((name) => queues.queue(name));
  const metrics = new Metrics({
    batches: () => reports.runningByType(sqlOf(dataSource)),
    queueDepths: async () => {
      const depths = await Promise.all(
        queueHandles.map(async (queue) => {
          const counts = await queue.getJobCounts(...QUEUE_STATES);
          return QUEUE_STATES.map((state) => ({ queue: queue.name, state, count: counts[state] ?? 0 }));
        }),
      );
      return depths.flat();
    },
    databasePool: () => databasePool(dataSource),
  });
  return {
    config,
    logger,
    dataSource,
    producer,
    consumer,
    queues,
    metrics,
    redisProblem: () => redisProblem,
    async close() {
      await Promise.allSettled(queueHandles.map((queue) => queue.close()));
      await Promise.allSettled([producer.quit(), consumer.quit()]);
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/** The mysql2 pool's connections in use and idle (read from the pool's own lists). */
function databasePool(dataSource: DataSource): { used: number; free: number } {
  const pool = (
    dataSource.driver as unknown as {
      pool?: { _allConnections?: { length: number }; _freeConnections?: { length: number } };
    }
  ).pool;
  const all = pool?._allConnections?.length ?? 0;
  const free = pool?._freeConnections?.length ?? 0;
  return { used: all - free, free };
}
