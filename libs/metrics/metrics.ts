import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the process reports besides its own counters, read at scrape time (from MySQL and Redis). */
export interface MetricSources {
  /** Running batches and their remaining items, per batch type. */
  batches(): Promise<Array<{ type: string; running: number; remainingItems: number }>>;
  /** Jobs per queue and BullMQ state. */
  queueDepths(): Promise<Array<{ queue: string; state: string; count: number }>>;
  /** Database connections in use and idle. */
  databasePool(): { used: number; free: number };
}

/**
 * The process's Prometheus metrics (prom-client): HTTP request durations by route template and status,
 * batch items done and failed and execution-job durations per batch type, reconciler re-dispatches per
 * job kind, and, read at scrape time, running batches and their remaining items, queue depths and the
 * database pool, plus Node's process metrics. Every label is bounded (types, states, route templates):
 * no batch, instance or job id ever becomes a label.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'batch_ops_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly batchItems = new Counter({
    name: 'batch_ops_batch_items_total',
    help: 'Batch items handled by this process, per batch type and outcome (done, failed)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly executionJobDuration = new Histogram({
    name: 'batch_ops_batch_execution_job_duration_seconds',
    help: 'Duration of batch execution jobs run by this process, per batch type',
    labelNames: ['type'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly redispatches = new Counter({
    name: 'batch_ops_reconciler_redispatches_total',
    help: 'Jobs the reconciler dispatched again from their rows, per job kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor(sources?: MetricSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'batch_ops_' });
    if (sources === undefined) return;
    const registers = [this.registry];
    new Gauge({
      name: 'batch_ops_batches_running',
      help: 'Batches not yet ended, per batch type',
      labelNames: ['type'] as const,
      registers,
      async collect() {
        this.reset();
        for (const { type, running } of await sources.batches()) this.set({ type }, running);
      },
    });
    new Gauge({
      name: 'batch_ops_batch_remaining_items',
      help: 'Items of running batches not yet done or failed, per batch type',
      labelNames: ['type'] as const,
      registers,
      async collect() {
        this.reset();
        for (const { type, remainingItems } of await sources.batches()) this.set({ type }, remainingItems);
      },
    });
    new Gauge({
      name: 'batch_ops_queue_jobs',
      help: 'Jobs in each BullMQ queue, per state',
      labelNames: ['queue', 'state'] as const,
      registers,
      async collect() {
        this.reset();
        for (const { queue, state, count } of await sources.queueDepths()) this.set({ queue, state }, count);
      },
    });
    new Gauge({
      name: 'batch_ops_database_connections',
      help: 'Database pool connections of this process, in use and idle',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const { used, free } = sources.databasePool();
        this.set({ state: 'used' }, used);
        this.set({ state: 'free' }, free);
      },
    });
  }

  /** The text Prometheus scrapes, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
