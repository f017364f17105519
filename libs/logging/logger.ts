import winston from 'winston';
import { currentLogContext } from './context';

export type Logger = winston.Logger;

export interface LoggerOptions {
  readonly level: string;
  readonly format: 'json' | 'pretty';
  /** Extra fields on every line, e.g. `{ service: 'api' }`. */
  readonly defaultMeta?: Record<string, unknown>;
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  readonly stream?: NodeJS.WritableStream;
  /** Colour the level of `pretty` lines; by default only when stdout is a terminal (no ANSI codes in files). */
  readonly colors?: boolean;
}

/** Adds the active correlation context (request id, batch id…) to each line. */
const correlation = winston.format((info) => Object.assign(info, currentLogContext()));

const pretty = winston.format.printf((info) => {
  const { level, message, timestamp, component, stack, ...meta } = info;
  const scope = typeof component === 'string' ? ` [${component}]` : '';
  const rest = Object.keys(meta).length > 0 ? ` ${JSON.stringify(meta)}` : '';
  const trace = typeof stack === 'string' ? `\n${stack}` : '';
  return `${String(timestamp)} ${level}${scope} ${String(message)}${rest}${trace}`;
});

/**
 * The root logger: JSON lines in production, a readable line in development. Components take
 * `logger.child({ component: 'batch-seed' })`; the request id arrives through the log context.
 */
export function createLogger(options: LoggerOptions): Logger {
  const base = [correlation(), winston.format.timestamp(), winston.format.errors({ stack: true })];
  const format =
    options.format === 'json'
      ? winston.format.combine(...base, winston.format.json())
      : (options.colors ?? (!options.stream && process.stdout.isTTY === true))
        ? winston.format.combine(...base, winston.format.colorize(), pretty)
        : winston.format.combine(...base, pretty);
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level,
    format,
    defaultMeta: options.defaultMeta,
    transports: [transport],
  });
}
