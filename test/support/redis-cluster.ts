import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';
import { DisposableRedis, freePort, waitUntil } from './redis-server';

/**
 * A private Redis Cluster of `masters` masters without replicas, started with Debian's redis-server in
 * cluster mode and joined with `redis-cli --cluster create`. Each node's cluster bus listens on its
 * port + 10000, so the ports are picked below 55536 with the bus port free too.
 */
export class DisposableRedisCluster {
  private constructor(readonly nodes: readonly DisposableRedis[]) {}

  static async start(masters = 3): Promise<DisposableRedisCluster> {
    const nodes: DisposableRedis[] = [];
    try {
      for (let i = 0; i < masters; i += 1) {
        nodes.push(
          await DisposableRedis.start(
            [
              '--cluster-enabled',
              'yes',
              '--cluster-config-file',
              `nodes-${i}.conf`,
              '--cluster-node-timeout',
              '2000',
            ],
            await clusterPort(),
          ),
        );
      }
      const created = spawnSync(
        'redis-cli',
        [
          '--cluster',
          'create',
          ...nodes.map((node) => `127.0.0.1:${node.port}`),
          '--cluster-replicas',
          '0',
          '--cluster-yes',
        ],
        { encoding: 'utf8' },
      );
      if (created.status !== 0)
        throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
      const cluster = new DisposableRedisCluster(nodes);
      await waitUntil(() => cluster.isHealthy(), 20_000, 200);
      return cluster;
    } catch (error) {
      await Promise.all(nodes.map((node) => node.dispose()));
      throw error;
    }
  }

  /** `REDIS_CLUSTER_NODES` for the service. */
  get nodesSetting(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  /** Whether every node reports the cluster state `ok` (all slots served). */
  async isHealthy(): Promise<boolean> {
    const states = await Promise.all(
      this.nodes.map(async (node) => {
        const client = new Redis(node.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
        try {
          await client.connect();
          return /^cluster_state:ok\s*$/m.test(await client.cluster('INFO'));
        } catch {
          return false;
        } finally {
          client.disconnect();
        }
      }),
    );
    return states.every(Boolean);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.dispose()));
  }
}

/** A free port whose cluster bus port (+10000) is a valid, free port too. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port > 55_535) continue;
    if (await isFree(port + 10_000)) return port;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
