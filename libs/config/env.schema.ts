import { z } from 'zod';
import { BATCH_TYPES, isBatchType, type BatchType } from './batch-types';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const mysqlUrl = z
  .string()
  .trim()
  .refine((value) => parseUrl(value, 'mysql:') !== undefined, {
    message: 'must look like mysql://user:password@host:port/database',
    abort: true,
  })
  .refine((value) => (parseUrl(value, 'mysql:')?.pathname.length ?? 0) > 1, {
    message: 'must name a database, e.g. mysql://user:password@host:3306/batch_ops',
  });

const redisUrl = z
  .string()
  .trim()
  .refine((value) => parseUrl(value, 'redis:') !== undefined || parseUrl(value, 'rediss:') !== undefined, {
    message: 'must look like redis://host:port (or rediss:// for TLS)',
  });

/** A Redis Cluster node as `REDIS_CLUSTER_NODES` lists it. */
export interface RedisClusterNode {
  readonly host: string;
  readonly port: number;
}

/**
 * The seed nodes of a Redis Cluster: `host:port` entries separated by commas, or `redis://` /
 * `rediss://` URLs whose user, password and TLS then hold for every node (they must agree). Empty
 * means unset.
 */
const redisClusterNodes = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === '') return undefined;
    const nodes: RedisClusterNode[] = [];
    const credentials = new Set<string>();
    for (const entry of value.split(',').map((part) => part.trim())) {
      const url = /^rediss?:\/\//.test(entry)
        ? (parseUrl(entry, 'redis:') ?? parseUrl(entry, 'rediss:'))
        : parseUrl(`redis://${entry}`, 'redis:');
      const port = Number(url?.port || (url === undefined ? NaN : 6379));
      if (url === undefined || url.pathname.length > 1 || !Number.isInteger(port)) {
        ctx.addIssue({
          code: 'custom',
          message: `entry '${entry}' must look like host:port or redis://[user:password@]host:port`,
        });
        return z.NEVER;
      }
      nodes.push({ host: url.hostname, port });
      credentials.add(JSON.stringify([url.protocol, url.username, url.password]));
    }
    const [protocol, username, password] = JSON.parse([...credentials][0] ?? '[]') as string[];
    if (credentials.size > 1) {
      ctx.addIssue({ code: 'custom', message: 'every node must have the same scheme, user and password' });
      return z.NEVER;
    }
    return {
      nodes,
      username: username ? decodeURIComponent(username) : undefined,
      password: password ? decodeURIComponent(password) : undefined,
      tls: protocol === 'rediss:',
    };
  });

/** `user:password` pairs separated by commas; a password may itself contain ':'. */
const basicAuthUsers = z
  .string()
  .trim()
  .default('')
  .transform((value, ctx) => {
    const users: Array<{ id: string; password: string }> = [];
    for (const entry of value.split(',').map((part) => part.trim())) {
      if (entry === '') continue;
      const colon = entry.indexOf(':');
      if (colon <= 0 || colon === entry.length - 1) {
        ctx.addIssue({ code: 'custom', message: `entry '${entry.split(':')[0]}' must be user:password` });
        continue;
      }
      users.push({ id: entry.slice(0, colon), password: entry.slice(colon + 1) });
    }
    return users;
  });

/** `type=n` pairs separated by commas, e.g. `instance-migration=500,instance-modification=100`. */
const perTypeNumbers = z
  .string()
  .trim()
  .default('')
  .transform((value, ctx) => {
    const entries: Partial<Record<BatchType, number>> = {};
    for (const entry of value.split(',').map((part) => part.trim())) {
      if (entry === '') continue;
      const [type, count] = entry.split('=').map((part) => part.trim());
      const parsed = Number(count);
      if (!type || !Number.isInteger(parsed) || parsed < 1) {
        ctx.addIssue({ code: 'custom', message: `entry '${entry}' must be <batch type>=<positive integer>` });
        continue;
      }
      if (!isBatchType(type)) {
        ctx.addIssue({
          code: 'custom',
          message: `entry '${entry}' names no batch type; known: ${BATCH_TYPES.join(', ')}`,
        });
        continue;
      }
      entries[type] = parsed;
    }
    return entries;
  });

const byteSize = z
  .string()
  .trim()
  .regex(/^\d+(b|kb|mb|gb)?$/i, { message: "must be a size such as '512kb' or '10mb'" });

/**
 * Every environment variable the service reads. Defaults are safe for a laptop; production sets
 * `NODE_ENV=production`, which switches the default log format to JSON lines.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    PORT: integer(0, 65535).default(8080),
    DATABASE_URL: mysqlUrl,
    DATABASE_POOL_SIZE: integer(1, 500).default(10),
    // Exactly one of the two: a single Redis (or a primary behind a failover proxy), or a Redis Cluster.
    REDIS_URL: z.preprocess((value) => (value === '' ? undefined : value), redisUrl.optional()),
    REDIS_CLUSTER_NODES: redisClusterNodes.optional(),
    QUEUE_PREFIX: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . : -' })
      .default('batch-ops'),
    WORKER_CONCURRENCY: integer(1, 256).default(4),
    WORKER_LOCK_DURATION_MS: integer(1_000, 600_000).default(30_000),
    WORKER_RECONCILE_INTERVAL_MS: integer(500, 3_600_000).default(30_000),
    // Empty (as in .env.example) means unset: no metrics server.
    WORKER_METRICS_PORT: z.preprocess(
      (value) => (value === '' ? undefined : value),
      integer(1, 65_535).optional(),
    ),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    HTTP_BODY_LIMIT: byteSize.default('10mb'),
    BASIC_AUTH_USERS: basicAuthUsers,
    SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(25_000),
    BATCH_JOBS_PER_SEED: integer(1, 100_000).default(100),
    BATCH_INVOCATIONS_PER_JOB: integer(1, 100_000).default(1000),
    BATCH_INVOCATIONS_PER_JOB_BY_TYPE: perTypeNumbers,
    BATCH_POLL_TIME_MS: integer(100, 3_600_000).default(30_000),
  })
  .transform((env) => ({
    nodeEnv: env.NODE_ENV,
    http: {
      host: env.HOST,
      port: env.PORT,
      bodyLimit: env.HTTP_BODY_LIMIT.toLowerCase(),
    },
    database: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    redis: redisTarget(env.REDIS_URL, env.REDIS_CLUSTER_NODES),
    queue: { prefix: env.QUEUE_PREFIX },
    worker: {
      concurrency: env.WORKER_CONCURRENCY,
      lockDurationMs: env.WORKER_LOCK_DURATION_MS,
      reconcileIntervalMs: env.WORKER_RECONCILE_INTERVAL_MS,
      metricsPort: env.WORKER_METRICS_PORT,
    },
    log: {
      level: env.LOG_LEVEL,
      format: env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty'),
    },
    auth: { users: env.BASIC_AUTH_USERS },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    batch: {
      jobsPerSeed: env.BATCH_JOBS_PER_SEED,
      invocationsPerJob: env.BATCH_INVOCATIONS_PER_JOB,
      invocationsPerJobByType: env.BATCH_INVOCATIONS_PER_JOB_BY_TYPE,
      pollTimeMs: env.BATCH_POLL_TIME_MS,
    },
  }));

/**
 * Exactly one of `REDIS_URL` and `REDIS_CLUSTER_NODES` must be set (an empty value counts as unset):
 * the problem as `KEY: message`, or `undefined`. Checked beside the schema, so that it is listed with
 * every other invalid key.
 */
export function redisChoiceProblem(env: NodeJS.ProcessEnv): string | undefined {
  const isSet = (key: string) => (env[key]?.trim() ?? '') !== '';
  if (isSet('REDIS_URL') && isSet('REDIS_CLUSTER_NODES')) {
    return 'REDIS_URL: set either REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Redis Cluster), not both';
  }
  if (!isSet('REDIS_URL') && !isSet('REDIS_CLUSTER_NODES')) {
    return 'REDIS_URL: is required (or REDIS_CLUSTER_NODES for a Redis Cluster)';
  }
  return undefined;
}

/** Where Redis is: one server, or the seed nodes of a cluster. */
export type RedisTarget =
  | { readonly kind: 'single'; readonly url: string }
  | {
      readonly kind: 'cluster';
      readonly nodes: readonly RedisClusterNode[];
      readonly username: string | undefined;
      readonly password: string | undefined;
      readonly tls: boolean;
    };

function redisTarget(
  url: string | undefined,
  cluster: Omit<Extract<RedisTarget, { kind: 'cluster' }>, 'kind'> | undefined,
): RedisTarget {
  return cluster === undefined ? { kind: 'single', url: url ?? '' } : { kind: 'cluster', ...cluster };
}

function parseUrl(value: string, protocol: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === protocol && url.hostname !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}
