import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { InstantiationInstruction, VariableMap } from '@libs/engine';
import type { ProcessDefinitionRecord } from '@libs/persistence';
import type { RuntimeService } from '@libs/runtime';
import { startApp, type RunningProcess } from '../support/processes';
import { freePort, waitUntil } from '../support/redis-server';
import { createTestDatabase, serviceUrls, uniqueToken, type TestDatabase } from '../support/services';

/** Prints one figure of a benchmark in a fixed, greppable form. */
export function report(name: string, value: number, unit: string, extra = ''): void {
  process.stdout.write(
    `${name.padEnd(48)} ${value.toFixed(value >= 100 ? 0 : 2).padStart(12)} ${unit}${extra ? `  (${extra})` : ''}\n`,
  );
}

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

/** Runs `count` calls of `call` with at most `concurrency` in flight; returns each call's latency in ms. */
export async function concurrently(
  count: number,
  concurrency: number,
  call: (i: number) => Promise<void>,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      await call(i);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return latencies;
}

/** Latencies (ms) of polled calls, by the label of each call's kind. */
export type PollLatencies = Map<string, number[]>;

/**
 * Starts `clients` concurrent pollers, their starts spread over `pauseMs`. Each calls
 * `call(client, round)`, which answers the label of what it polled, then pauses `pauseMs` and polls
 * again, until `stop()`; `stop` resolves once every poller finished its call in flight, with the
 * latencies by label.
 */
export function startPolling(
  clients: number,
  pauseMs: number,
  call: (client: number, round: number) => Promise<string>,
): { stop(): Promise<PollLatencies> } {
  const latencies: PollLatencies = new Map();
  let stopping = false;
  const poller = async (client: number) => {
    // Spread over one pause, as independent clients are, rather than polling in lock step.
    await new Promise((resolve) => setTimeout(resolve, (client / clients) * pauseMs));
    for (let round = 0; !stopping; round += 1) {
      const started = performance.now();
      const label = await call(client, round);
      const elapsed = performance.now() - started;
      const list = latencies.get(label) ?? [];
      list.push(elapsed);
      latencies.set(label, list);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, client) => poller(client)));
  return {
    async stop() {
      stopping = true;
      await running;
      return latencies;
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export interface BenchServer {
  readonly baseUrl: string;
  readonly pid: number | undefined;
  readonly database: TestDatabase;
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/** A migrated database of its own and the built `app` process serving it, as production runs it. */
export async function startServer(
  app: 'api' | 'standalone',
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): Promise<BenchServer> {
  const database = await createTestDatabase();
  const base = {
    DATABASE_URL: database.url,
    REDIS_URL: serviceUrls().redisUrl,
    QUEUE_PREFIX: `bench-${uniqueToken()}`,
    LOG_LEVEL: 'warn',
  };
  const migrated = await startApp('migrate', base).finished;
  if (migrated.code !== 0) throw new Error(`migration failed: ${migrated.stderr}${migrated.stdout}`);
  const port = await freePort();
  const fullEnv = { ...base, PORT: String(port), DATABASE_POOL_SIZE: '20', ...env };
  const running: RunningProcess = startApp(app, fullEnv, nodeArgs);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => (await fetch(`${baseUrl}/health/ready`).catch(() => undefined))?.status === 200,
    30_000,
  );
  return {
    baseUrl,
    pid: running.child.pid,
    database,
    env: fullEnv,
    async stop() {
      running.child.kill('SIGTERM');
      await running.finished;
      await database.drop();
    },
  };
}

/** A benchmarked worker process; one that dies before `stop()` ends the bench (its figures would lie). */
export interface BenchWorker {
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** Starts the built worker process on a bench server's database and queues. */
export function startBenchWorker(server: BenchServer, nodeArgs: readonly string[]): BenchWorker {
  let stopping = false;
  const worker = startApp('worker', server.env, nodeArgs);
  void worker.finished.then((exit) => {
    if (stopping) return;
    process.stderr.write(`worker exited (${exit.code ?? exit.signal}): ${exit.stderr}\n`);
    process.exit(1);
  });
  return {
    pid: worker.child.pid,
    async stop() {
      stopping = true;
      worker.child.kill('SIGTERM');
      await worker.finished;
    },
  };
}

/**
 * The processes whose CPU a bench reports: the worker, the API, the local database server and the
 * bench's own process (named `benchLabel`, e.g. when it also runs polling clients).
 */
export function benchProcesses(
  server: BenchServer,
  worker: BenchWorker,
  benchLabel = 'bench',
): Record<string, number | undefined> {
  return {
    worker: worker.pid,
    api: server.pid,
    database: localDatabasePid(server.database.url),
    [benchLabel]: process.pid,
  };
}

/**
 * Starts `count` instances of `definition` in-process, 1,000 per transaction, two transactions at a
 * time (the seeding path of the benches), each with `variables` and `startInstructions` when given;
 * resolves to the seconds it took.
 */
export async function seedInstances(
  runtime: RuntimeService,
  definition: ProcessDefinitionRecord,
  count: number,
  start: {
    readonly startInstructions?: readonly InstantiationInstruction[];
    readonly variables?: VariableMap;
  } = {},
): Promise<number> {
  const chunk = 1_000;
  const { seconds } = await timed(() =>
    concurrently(Math.ceil(count / chunk), 2, async (i) => {
      const size = Math.min(chunk, count - i * chunk);
      await runtime.start(
        definition,
        Array.from({ length: size }, () => ({
          businessKey: null,
          variables: start.variables ?? {},
          ...(start.startInstructions === undefined ? {} : { startInstructions: start.startInstructions }),
        })),
      );
    }),
  );
  return seconds;
}

/** Deploys BPMN resources through `POST /deployment/create`. */
export async function deployXml(baseUrl: string, resources: Record<string, string>): Promise<void> {
  const form = new FormData();
  for (const [name, xml] of Object.entries(resources))
    form.append(name, new Blob([xml], { type: 'application/octet-stream' }), name);
  const response = await fetch(`${baseUrl}/engine-rest/deployment/create`, { method: 'POST', body: form });
  if (!response.ok) throw new Error(`deployment failed: ${response.status} ${await response.text()}`);
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the full line, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The pid of a local database server process (mariadbd or mysqld) on this machine: the one listening on
 * `databaseUrl`'s port (`--port=` on its command line) when several run, e.g. one per worktree's stack.
 */
export function localDatabasePid(databaseUrl?: string): number | undefined {
  const read = (pid: string, file: string) => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'utf8');
    } catch {
      return '';
    }
  };
  const servers = readdirSync('/proc').filter(
    (entry) => /^\d+$/.test(entry) && ['mariadbd', 'mysqld'].includes(read(entry, 'comm').trim()),
  );
  const port = databaseUrl ? new URL(databaseUrl).port || '3306' : undefined;
  const chosen =
    port === undefined || servers.length <= 1
      ? servers[0]
      : servers.find((pid) => read(pid, 'cmdline').split('\0').includes(`--port=${port}`));
  return chosen === undefined ? undefined : Number(chosen);
}

/** The machine's CPU time counters (all and stolen by the hypervisor), from /proc/stat. */
function machineTicks(): { total: number; steal: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const ticks = values.map(Number);
  return { total: ticks.reduce((a, b) => a + b, 0), steal: ticks[7] ?? 0 };
}

export interface CpuUse {
  /** CPU seconds used by each watched process during the work. */
  readonly seconds: Record<string, number>;
  /** Share of the machine's CPU time the hypervisor took during the work (0–1): high means contended. */
  readonly stolen: number;
}

/** Runs `work` and measures the CPU it cost the given processes, and how much CPU the host stole. */
export async function measureCpu<T>(
  pids: Record<string, number | undefined>,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuUse }> {
  const watched = Object.entries(pids).filter((entry): entry is [string, number] => entry[1] !== undefined);
  const before = watched.map(([, pid]) => cpuSeconds(pid));
  const machineBefore = machineTicks();
  const result = await work();
  const machineAfter = machineTicks();
  const seconds = Object.fromEntries(watched.map(([name, pid], i) => [name, cpuSeconds(pid) - before[i]!]));
  const total = machineAfter.total - machineBefore.total;
  return {
    result,
    cpu: { seconds, stolen: total > 0 ? (machineAfter.steal - machineBefore.steal) / total : 0 },
  };
}
