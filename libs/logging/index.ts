export { createLogger, type Logger, type LoggerOptions } from './logger';
export { withLogContext, currentLogContext, type LogContext } from './context';
