import { asyncBench } from './async.bench';
import { batchBench } from './batch.bench';
import { callActivityBench } from './call-activity.bench';
import { consoleBench } from './console.bench';
import { engineBench } from './engine.bench';
import { migrationBench } from './migration.bench';
import { multiInstanceBench } from './multi-instance.bench';
import { eventSubProcessBench } from './event-sub-process.bench';
import { signalBench } from './signal.bench';

/**
 * `npm run bench [name…]`: runs the benchmarks and prints their figures. Targets are read from the
 * output by people, never asserted: machines differ.
 */
const BENCHES: Record<string, () => Promise<void>> = {
  engine: () =>
    engineBench({
      starts: Number(process.env.BENCH_STARTS ?? 3_000),
      seed: Number(process.env.BENCH_SEED ?? 100_000),
    }),
  migration: () => migrationBench({ count: Number(process.env.BENCH_MIGRATION_INSTANCES ?? 1_000) }),
  batch: () =>
    batchBench({
      count: Number(process.env.BENCH_BATCH_INSTANCES ?? 100_000),
      settings: batchSettingsFromEnv(),
      workerNodeArgs: nodeArgs(process.env.BENCH_WORKER_NODE_ARGS),
      apiNodeArgs: nodeArgs(process.env.BENCH_API_NODE_ARGS),
      skip: new Set((process.env.BENCH_BATCH_SKIP ?? '').split(',').filter(Boolean)),
      poll: {
        clients: Number(process.env.BENCH_POLL_CLIENTS ?? 50),
        pauseMs: Number(process.env.BENCH_POLL_PAUSE_MS ?? 250),
      },
    }),
  async: () =>
    asyncBench({
      count: Number(process.env.BENCH_ASYNC_INSTANCES ?? 10_000),
      settings: batchSettingsFromEnv(),
      workerNodeArgs: nodeArgs(process.env.BENCH_WORKER_NODE_ARGS),
      apiNodeArgs: nodeArgs(process.env.BENCH_API_NODE_ARGS),
    }),
  'multi-instance': () =>
    multiInstanceBench({
      count: Number(process.env.BENCH_MI_INSTANCES ?? 10_000),
      settings: batchSettingsFromEnv(),
      workerNodeArgs: nodeArgs(process.env.BENCH_WORKER_NODE_ARGS),
      apiNodeArgs: nodeArgs(process.env.BENCH_API_NODE_ARGS),
    }),
  console: () =>
    consoleBench({
      items: Number(process.env.BENCH_CONSOLE_ITEMS ?? 1_000_000),
      rounds: Number(process.env.BENCH_CONSOLE_ROUNDS ?? 40),
    }),
  eventSubProcess: () =>
    eventSubProcessBench({
      count: Number(process.env.BENCH_EVENT_SUB_PROCESS_INSTANCES ?? 10_000),
      settings: batchSettingsFromEnv(),
      workerNodeArgs: nodeArgs(process.env.BENCH_WORKER_NODE_ARGS),
      apiNodeArgs: nodeArgs(process.env.BENCH_API_NODE_ARGS),
    }),
  signal: () =>
    signalBench({
      count: Number(process.env.BENCH_SIGNAL_INSTANCES ?? 10_000),
      apiNodeArgs: nodeArgs(process.env.BENCH_API_NODE_ARGS),
    }),
  callActivity: () =>
    callActivityBench({
      count: Number(process.env.BENCH_CALL_ACTIVITY_INSTANCES ?? 10_000),
      settings: batchSettingsFromEnv(),
      workerNodeArgs: nodeArgs(process.env.BENCH_WORKER_NODE_ARGS),
      apiNodeArgs: nodeArgs(process.env.BENCH_API_NODE_ARGS),
    }),
};

/** Node options for a benchmarked process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it. */
function nodeArgs(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter(Boolean);
}

/**
 * The shell's batch and worker settings (`BATCH_*`, `WORKER_*`), handed to the benchmarked processes.
 */
function batchSettingsFromEnv(): Record<string, string> {
  const settings = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => /^(BATCH|WORKER)_/.test(entry[0]) && entry[1] !== undefined,
    ),
  );
  return settings;
}

async function main(names: readonly string[]): Promise<void> {
  const selected = names.length > 0 ? names : Object.keys(BENCHES);
  for (const name of selected) {
    const bench = BENCHES[name];
    if (!bench) throw new Error(`unknown benchmark '${name}'; known: ${Object.keys(BENCHES).join(', ')}`);
    process.stdout.write(`\n== ${name} ==\n`);
    await bench();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
