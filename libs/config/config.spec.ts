import { ConfigError, loadConfig } from './config';

const required = { DATABASE_URL: 'mysql://u:p@db:3306/batch_ops', REDIS_URL: 'redis://cache:6379' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(required);
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8080, bodyLimit: '10mb' });
    expect(config.queue.prefix).toBe('batch-ops');
    expect(config.log).toEqual({ level: 'info', format: 'pretty' });
    expect(config.auth.users).toEqual([]);
  });

  it('reads WORKER_METRICS_PORT, empty meaning none, and refuses a port out of range', () => {
    expect(loadConfig(required).worker.metricsPort).toBeUndefined();
    expect(loadConfig({ ...required, WORKER_METRICS_PORT: '' }).worker.metricsPort).toBeUndefined();
    expect(loadConfig({ ...required, WORKER_METRICS_PORT: '9464' }).worker.metricsPort).toBe(9464);
    expect(() => loadConfig({ ...required, WORKER_METRICS_PORT: '70000' })).toThrow(ConfigError);
  });

  it('reads one Redis or a Redis Cluster, never both', () => {
    expect(loadConfig(required).redis).toEqual({ kind: 'single', url: 'redis://cache:6379' });
    const database = { DATABASE_URL: required.DATABASE_URL };
    expect(loadConfig({ ...database, REDIS_CLUSTER_NODES: 'r1:7000, r2:7001,r3' }).redis).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'r1', port: 7000 },
        { host: 'r2', port: 7001 },
        { host: 'r3', port: 6379 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(
      loadConfig({
        ...database,
        REDIS_URL: '',
        REDIS_CLUSTER_NODES: 'rediss://ops:p%40ss@r1:7000,rediss://ops:p%40ss@r2:7000',
      }).redis,
    ).toMatchObject({ kind: 'cluster', username: 'ops', password: 'p@ss', tls: true });

    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ ...required, REDIS_CLUSTER_NODES: 'r1:7000' })).toEqual([
      'REDIS_URL: set either REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Redis Cluster), not both',
    ]);
    expect(problems({ ...database, REDIS_CLUSTER_NODES: 'r1:7000,r2:x' })).toEqual([
      "REDIS_CLUSTER_NODES: entry 'r2:x' must look like host:port or redis://[user:password@]host:port",
    ]);
    expect(problems({ ...database, REDIS_CLUSTER_NODES: 'redis://a:1@r1:7000,redis://a:2@r2:7000' })).toEqual(
      ['REDIS_CLUSTER_NODES: every node must have the same scheme, user and password'],
    );
  });

  it('logs JSON lines by default in production', () => {
    expect(loadConfig({ ...required, NODE_ENV: 'production' }).log.format).toBe('json');
  });

  it('reads Basic users, keeping colons inside passwords', () => {
    const config = loadConfig({ ...required, BASIC_AUTH_USERS: 'demo:pa:ss, ops:x' });
    expect(config.auth.users).toEqual([
      { id: 'demo', password: 'pa:ss' },
      { id: 'ops', password: 'x' },
    ]);
  });

  it('lists every invalid key at once', () => {
    const attempt = () =>
      loadConfig({
        DATABASE_URL: 'postgres://x/y',
        PORT: '99999',
        LOG_FORMAT: 'xml',
        BASIC_AUTH_USERS: 'nopassword',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const keys = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
      expect(keys.sort()).toEqual(['BASIC_AUTH_USERS', 'DATABASE_URL', 'LOG_FORMAT', 'PORT', 'REDIS_URL']);
      expect((error as ConfigError).message).toContain('REDIS_URL: is required');
    }
  });

  it('reads invocations per job by batch type', () => {
    const config = loadConfig({
      ...required,
      BATCH_INVOCATIONS_PER_JOB_BY_TYPE: 'instance-migration=500, instance-modification = 200',
    });
    expect(config.batch.invocationsPerJobByType).toEqual({
      'instance-migration': 500,
      'instance-modification': 200,
    });
  });

  it('refuses a per-type setting whose batch type is misspelt, naming the known ones', () => {
    const attempt = () =>
      loadConfig({ ...required, BATCH_INVOCATIONS_PER_JOB_BY_TYPE: 'instance-migraton=500' });
    expect(attempt).toThrow(
      "BATCH_INVOCATIONS_PER_JOB_BY_TYPE: entry 'instance-migraton=500' names no batch type; known: correlate-message, historic-process-instance-deletion, instance-deletion, instance-migration, instance-modification, instance-restart, instance-update-suspension-state, set-external-task-retries, set-job-retries, set-variables",
    );
  });

  it('requires a database name in DATABASE_URL', () => {
    expect(() => loadConfig({ ...required, DATABASE_URL: 'mysql://u:p@db:3306' })).toThrow(
      /must name a database/,
    );
  });

  it('returns a frozen object', () => {
    const config = loadConfig(required);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
  });
});
