import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisTarget } from '@libs/config';
import { bullPrefix } from './queue-names';

export type RedisRole = 'worker' | 'producer';

/** A connection to one Redis or to a Redis Cluster; BullMQ and the service use both alike. */
export type RedisConnection = Redis | Cluster;

/**
 * The kind of a Redis error reply: by the protocol (RESP), the first word of the reply is its error
 * code (`READONLY`, `MOVED`, `ERR` …); ioredis hands the reply over as the error's message.
 */
function replyKind(error: Error): string {
  return error.message.split(/\s/, 1)[0] ?? '';
}

/**
 * ioredis options for the two kinds of BullMQ connection (BullMQ's production guide):
 * - `worker`: blocking commands must survive a Redis restart, so requests never give up
 *   (`maxRetriesPerRequest: null`) and reconnects go on forever with a capped back-off;
 * - `producer`: code that enqueues from an HTTP request must fail fast instead of hanging,
 *   so commands are not queued while disconnected and fail after one retry.
 */
export function redisOptions(role: RedisRole, connectionName: string): RedisOptions {
  const shared: RedisOptions = {
    connectionName,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 5_000),
    // A failed-over primary answers writes `READONLY`: reconnect to reach the new primary.
    reconnectOnError: (error) => replyKind(error) === 'READONLY',
  };
  return role === 'worker'
    ? { ...shared, maxRetriesPerRequest: null, enableReadyCheck: true }
    : { ...shared, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000 };
}

/**
 * Cluster-wide options: the cluster client itself queues commands only for a worker, and re-reads the
 * slot map with the same capped back-off; each node connection gets the role's options.
 */
function clusterOptions(
  target: Extract<RedisTarget, { kind: 'cluster' }>,
  role: RedisRole,
  connectionName: string,
): ClusterOptions {
  const node = redisOptions(role, connectionName);
  return {
    redisOptions: {
      ...node,
      username: target.username,
      password: target.password,
      ...(target.tls ? { tls: {} } : {}),
    },
    enableOfflineQueue: role === 'worker',
    enableReadyCheck: true,
    clusterRetryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 5_000),
  };
}

/**
 * Opens a connection for `role` to one Redis (a URL) or to a Redis Cluster; the caller owns it and must
 * `quit()` it on shutdown.
 */
export function createRedisConnection(
  target: RedisTarget | string,
  role: RedisRole,
  connectionName: string,
): RedisConnection {
  const resolved: RedisTarget = typeof target === 'string' ? { kind: 'single', url: target } : target;
  return resolved.kind === 'single'
    ? new Redis(resolved.url, redisOptions(role, connectionName))
    : new Cluster(
        resolved.nodes.map(({ host, port }) => ({ host, port })),
        clusterOptions(resolved, role, connectionName),
      );
}

/**
 * Resolves when Redis answers a command on the queues' own key slot (so a cluster whose master for
 * that slot is gone, or a single-node URL pointing at the wrong master of a cluster, fails the check
 * where a PING would pass); rejects at once when the producer connection is down.
 */
export async function checkRedis(redis: RedisConnection, queuePrefix: string): Promise<void> {
  await redis.exists(`${bullPrefix(queuePrefix)}:readiness`);
}

/**
 * Why a connection configured as one Redis (`REDIS_URL`) cannot serve: the server is a node of a Redis
 * Cluster, where most of the queues' keys would answer MOVED. `undefined` when it is a plain Redis.
 */
export async function clusterNodeProblem(redis: RedisConnection): Promise<string | undefined> {
  if (redis instanceof Cluster) return undefined;
  const info = await redis.info('cluster');
  return /^cluster_enabled:1\s*$/m.test(info)
    ? 'REDIS_URL names a node of a Redis Cluster; list the cluster in REDIS_CLUSTER_NODES instead'
    : undefined;
}
