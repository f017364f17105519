import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A private redis-server the test can stop and start again (the shared one must keep serving the other
 * test files). Needs the `redis-server` binary, which `npm test` installs when it is missing.
 */
export class DisposableRedis {
  private process: ChildProcess | undefined;
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'batch-ops-redis-'));

  private constructor(
    readonly port: number,
    private readonly extraArgs: readonly string[],
  ) {}

  /** Starts a server on a free port (or `port`), with `extraArgs` after the defaults. */
  static async start(extraArgs: readonly string[] = [], port?: number): Promise<DisposableRedis> {
    const which = spawnSync('sh', ['-c', 'command -v redis-server || ls /usr/bin/redis-server'], {
      encoding: 'utf8',
    });
    if (which.status !== 0) throw new Error('redis-server is not installed; `npm test` installs it');
    const redis = new DisposableRedis(port ?? (await freePort()), extraArgs);
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port. */
  async resume(): Promise<void> {
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
        ...this.extraArgs,
      ],
      {
        stdio: 'ignore',
      },
    );
    await waitUntil(() => accepts(this.port), 10_000);
  }

  /** Stops the server the hard way, as a crash would. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `condition` until it holds; fails after `timeoutMs`. Tests wait on state, never on fixed sleeps. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
