import type { Processor } from 'bullmq';
import type { Component } from '../common/process';
import type { Infrastructure } from '../common/infrastructure';

/**
 * Every queue the worker consumes, mapped to its one processor. The batch and timer capabilities add
 * their queues here; a queue without a processor cannot be registered.
 */
export type ProcessorRegistry = Readonly<Record<string, Processor>>;

export function processorRegistry(_infrastructure: Infrastructure): ProcessorRegistry {
  return {};
}

/** Starts one BullMQ worker per registered queue; stopping waits for their active jobs to finish. */
export async function startWorker(infrastructure: Infrastructure): Promise<Component[]> {
  const { config, logger, queues } = infrastructure;
  const registry = processorRegistry(infrastructure);
  const workers = Object.entries(registry).map(([name, processor]) =>
    queues.worker(name, processor, { concurrency: config.worker.concurrency }),
  );
  for (const worker of workers) {
    worker.on('error', (error) => logger.error('worker error', { queue: worker.name, error }));
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  logger.info('worker started', {
    queues: Object.keys(registry),
    concurrency: config.worker.concurrency,
    prefix: queues.prefix,
  });
  return [
    {
      name: 'workers',
      stop: async () => {
        await Promise.all(workers.map((worker) => worker.close()));
      },
    },
  ];
}
