import { Queue, Worker, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import type { RedisConnection } from './connections';
import { bullPrefix } from './queue-names';

export interface QueueFactoryOptions {
  /** The configured `QUEUE_PREFIX` (without braces). */
  readonly queuePrefix: string;
  /** A producer connection (fail fast), shared by all queues of a process. */
  readonly producer: RedisConnection;
  /** A worker connection (retries forever); each BullMQ worker duplicates it for its blocking client. */
  readonly consumer: RedisConnection;
}

/** Builds queues and workers that agree on prefix and connection kind. */
export class QueueFactory {
  constructor(private readonly options: QueueFactoryOptions) {}

  get prefix(): string {
    return bullPrefix(this.options.queuePrefix);
  }

  queue<T = unknown>(name: string, options: Partial<QueueOptions> = {}): Queue<T> {
    return new Queue<T>(name, { ...options, prefix: this.prefix, connection: this.options.producer });
  }

  worker<T = unknown>(
    name: string,
    processor: Processor<T>,
    options: Partial<WorkerOptions> = {},
  ): Worker<T> {
    return new Worker<T>(name, processor, {
      ...options,
      prefix: this.prefix,
      connection: this.options.consumer,
    });
  }
}
