export { loadConfig, ConfigError, type Config } from './config';
export type { RedisClusterNode, RedisTarget } from './env.schema';
export { BATCH_TYPES, isBatchType, type BatchType } from './batch-types';
