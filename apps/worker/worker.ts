import type { Processor } from 'bullmq';
import { QUEUES, type QueueName } from '@libs/queue';
import type { Infrastructure } from '../common/infrastructure';
import type { Component } from '../common/process';
import type { Services } from '../common/services';
import { jobProcessor } from './job.processor';

/** Every queue mapped to its one processor: a queue without a processor is a compile error. */
export type ProcessorRegistry = Readonly<Record<QueueName, Processor>>;

export function processorRegistry(services: Services): ProcessorRegistry {
  const queues = Object.values(QUEUES);
  return Object.fromEntries(
    queues.map((kind) => [kind, jobProcessor(services.jobs, kind) as Processor]),
  ) as ProcessorRegistry;
}

/**
 * Starts one BullMQ worker per registered queue and the reconciler (timers, asynchronous continuations,
 * batch jobs); stopping waits for the
 * active jobs to finish.
 */
export async function startWorker(infrastructure: Infrastructure, services: Services): Promise<Component[]> {
  const { config, logger, queues } = infrastructure;
  const registry = processorRegistry(services);
  const workers = Object.entries(registry).map(([name, processor]) =>
    queues.worker(name, processor, {
      concurrency: config.worker.concurrency,
      // A killed worker's jobs go back to waiting after this long (BullMQ's stalled-job check).
      lockDuration: config.worker.lockDurationMs,
      stalledInterval: config.worker.lockDurationMs,
    }),
  );
  for (const worker of workers) {
    worker.on('error', (error) => logger.error('worker error', { queue: worker.name, error }));
    worker.on('failed', (job, error) =>
      logger.warn('job failed', {
        queue: worker.name,
        jobId: job?.id,
        attempt: job?.attemptsMade,
        error: error.message,
      }),
    );
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  // The message, not the Error: JSON lines would show an Error in metadata as `{}`.
  const failed = (message: string) => (error: unknown) =>
    logger.warn(message, { error: error instanceof Error ? error.message : String(error) });
  const reconcile = async () => {
    const [timers, asyncContinuations, batchJobs] = await Promise.all([
      services.timers.reconcile().catch(failed('timer reconciliation failed')),
      services.asyncContinuations.reconcile().catch(failed('async continuation reconciliation failed')),
      services.batchRedispatcher.reconcile().catch(failed('batch reconciliation failed')),
    ]);
    logger.debug('reconciled', { timers, asyncContinuations, batchJobs });
    const { redispatches } = infrastructure.metrics;
    if (typeof timers === 'number') redispatches.inc({ kind: 'timer' }, timers);
    if (typeof asyncContinuations === 'number')
      redispatches.inc({ kind: 'async-continuation' }, asyncContinuations);
    if (typeof batchJobs === 'number') redispatches.inc({ kind: 'batch' }, batchJobs);
  };
  await reconcile();
  const reconciler = setInterval(() => void reconcile(), config.worker.reconcileIntervalMs);
  logger.info('worker started', {
    queues: Object.keys(registry),
    concurrency: config.worker.concurrency,
    prefix: queues.prefix,
  });
  return [
    {
      name: 'workers',
      stop: async () => {
        clearInterval(reconciler);
        await Promise.all(workers.map((worker) => worker.close()));
      },
    },
  ];
}
