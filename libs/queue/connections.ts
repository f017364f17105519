import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'worker' | 'producer';

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

/** Opens a Redis connection for `role`; the caller owns it and must `quit()` it on shutdown. */
export function createRedisConnection(url: string, role: RedisRole, connectionName: string): Redis {
  return new Redis(url, redisOptions(role, connectionName));
}

/** Resolves when Redis answers PING; rejects at once when the producer connection is down. */
export async function pingRedis(redis: Redis): Promise<void> {
  await redis.ping();
}
