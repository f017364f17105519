export { createRedisConnection, pingRedis, redisOptions, type RedisRole } from './connections';
export { bullPrefix } from './queue-names';
export { QueueFactory, type QueueFactoryOptions } from './queue-factory';
