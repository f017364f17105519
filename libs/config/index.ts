export { loadConfig, ConfigError, type Config } from './config';
export { BATCH_TYPES, isBatchType, type BatchType } from './batch-types';
