export {
  checkRedis,
  clusterNodeProblem,
  createRedisConnection,
  redisOptions,
  type RedisConnection,
  type RedisRole,
} from './connections';
export { bullPrefix, QUEUES, JOB_PAYLOADS, type QueueName, type JobPayload } from './queue-names';
export { QueueFactory, type QueueFactoryOptions } from './queue-factory';
export { TimerQueue, timerJobId } from './timer-queue';
export { AsyncContinuationQueue, asyncContinuationJobId } from './async-continuation-queue';
export { BatchQueues, batchJobIds, type ExecutionJobRef } from './batch-queues';
