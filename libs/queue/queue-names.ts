import { z } from 'zod';

/**
 * The BullMQ key prefix for a configured `QUEUE_PREFIX`. Wrapping it in a `{hash tag}` keeps every key
 * of every queue in one Redis Cluster slot, which BullMQ's multi-key Lua scripts require.
 */
export function bullPrefix(queuePrefix: string): string {
  return `{${queuePrefix}}`;
}

/** Every queue, by its role. A worker must register exactly one processor per queue. */
export const QUEUES = {
  /** Timer jobs of process instances, as delayed jobs due at the timer's due date. */
  timer: 'timer',
  /** Asynchronous continuations of process instances, runnable at once. */
  asyncContinuation: 'async-continuation',
  /** Seed jobs: turn a batch's selection into execution jobs, a slice per run. */
  batchSeed: 'batch-seed',
  /** Execution jobs: apply a batch's operation to the instances of one job row. */
  batchExecution: 'batch-execution',
  /** Monitor jobs: end a batch once no execution job is left. */
  batchMonitor: 'batch-monitor',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Job payloads, checked when added and again when processed (Redis data outlives deploys). Jobs carry
 * ids only; MySQL holds the state.
 */
export const JOB_PAYLOADS = {
  timer: z.object({ jobId: z.string().min(1) }),
  'async-continuation': z.object({ jobId: z.string().min(1) }),
  'batch-seed': z.object({ batchId: z.string().min(1) }),
  'batch-execution': z.object({
    batchId: z.string().min(1),
    jobId: z.string().min(1),
    // What the job is, for operators reading the queue (Bull Board); the row is what runs.
    type: z.string().optional(),
    itemFirst: z.number().int().optional(),
    itemLast: z.number().int().optional(),
  }),
  'batch-monitor': z.object({ batchId: z.string().min(1) }),
} as const satisfies Record<QueueName, z.ZodType>;

export type JobPayload<Q extends QueueName> = z.infer<(typeof JOB_PAYLOADS)[Q]>;
