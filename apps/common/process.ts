import { ConfigError, loadConfig, type Config } from '@libs/config';
import { createLogger, type Logger } from '@libs/logging';
import { openInfrastructure, type Infrastructure } from './infrastructure';
import { buildServices, type Services } from './services';

/** Something a process started and must stop on shutdown, in reverse order of starting. */
export interface Component {
  readonly name: string;
  stop(): Promise<void>;
}

export type Starter = (infrastructure: Infrastructure, services: Services) => Promise<readonly Component[]>;

/**
 * Runs a long-lived process: reads the configuration once (refusing to start, with every invalid key
 * listed, when it is wrong), opens the shared connections, starts the components and owns shutdown:
 * on SIGTERM/SIGINT the components stop in reverse order (HTTP stops accepting and finishes in-flight
 * requests, workers finish their active jobs), then Redis and the database pool close. A shutdown that
 * outlives `SHUTDOWN_TIMEOUT_MS` is cut short with exit code 1.
 */
export async function runProcess(processName: string, start: Starter): Promise<void> {
  const config = configOrExit();
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    defaultMeta: { process: processName },
  });
  watchCrashes(logger);

  let infrastructure: Infrastructure | undefined;
  let services: Services | undefined;
  let components: readonly Component[] = [];
  let stopping = false;
  try {
    infrastructure = await openInfrastructure(
      config,
      logger,
      processName,
      (problem) => void shutdown('configuration', problem),
    );
    services = buildServices(infrastructure);
    components = await start(infrastructure, services);
  } catch (error) {
    logger.error('startup failed', { error });
    await services?.close();
    await infrastructure?.close();
    process.exit(1);
  }

  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));

  /**
   * Stops everything; `problem` names a configuration error found once connected, which ends the
   * process with the configuration-error exit code (78) after the same orderly stop.
   */
  async function shutdown(reason: NodeJS.Signals | 'configuration', problem?: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    if (problem !== undefined) process.stderr.write(`Invalid configuration:\n  - ${problem}\n`);
    logger.info('shutting down', { reason });
    const deadline = setTimeout(() => {
      logger.error('shutdown timed out', { timeoutMs: config.shutdownTimeoutMs });
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    for (const component of [...components].reverse()) {
      await component
        .stop()
        .catch((error: unknown) => logger.error('stopping failed', { component: component.name, error }));
    }
    await services?.close();
    await infrastructure?.close();
    logger.info('stopped');
    clearTimeout(deadline);
    process.exit(problem === undefined ? 0 : EXIT_CONFIG);
  }
}

/** The exit code of a process refused by its configuration (sysexits' EX_CONFIG). */
const EXIT_CONFIG = 78;

/** Runs a one-shot command (e.g. migrations) with the same configuration handling, then exits. */
export async function runCommand(
  processName: string,
  command: (config: Config, logger: Logger) => Promise<void>,
): Promise<void> {
  const config = configOrExit();
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    defaultMeta: { process: processName },
  });
  try {
    await command(config, logger);
    process.exit(0);
  } catch (error) {
    logger.error(`${processName} failed`, { error });
    process.exit(1);
  }
}

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
}

function watchCrashes(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled promise rejection', { error: reason });
  });
  process.on('uncaughtException', (error) => {
    logger.error('uncaught exception; exiting', { error });
    process.exitCode = 1;
    setImmediate(() => process.exit(1));
  });
}
