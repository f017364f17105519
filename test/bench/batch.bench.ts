import { readFileSync } from 'node:fs';
import { loadConfig } from '@libs/config';
import { createLogger } from '@libs/logging';
import { openInfrastructure, type Infrastructure } from '../../apps/common/infrastructure';
import { buildServices, type Services } from '../../apps/common/services';
import { fixture } from '../support/rest';
import { waitUntil } from '../support/redis-server';
import {
  benchProcesses,
  deployXml,
  measureCpu,
  percentile,
  report,
  startPolling,
  startBenchWorker,
  startServer,
  timed,
  type BenchServer,
  type CpuUse,
  type PollLatencies,
} from './bench-kit';

export interface Connected {
  readonly infrastructure: Infrastructure;
  readonly services: Services;
  close(): Promise<void>;
}

export async function connect(env: Record<string, string>): Promise<Connected> {
  const infrastructure = await openInfrastructure(
    loadConfig(env),
    createLogger({ level: 'warn', format: 'json' }),
    'bench',
  );
  const services = buildServices(infrastructure);
  return {
    infrastructure,
    services,
    close: async () => (await services.close(), await infrastructure.close()),
  };
}

async function post(
  server: BenchServer,
  path: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.baseUrl}/engine-rest${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Peak resident memory of a process (VmHWM), in MiB. */
function peakMemoryMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

async function seed(connected: Connected, definitionId: string, count: number): Promise<number> {
  const definition = (await connected.services.repository.getDefinition(definitionId))!;
  const { seconds } = await timed(async () => {
    for (let done = 0; done < count; done += 2_000) {
      const size = Math.min(2_000, count - done);
      await connected.services.runtime.start(
        definition,
        Array.from({ length: size }, () => ({ businessKey: null, variables: {} })),
      );
    }
  });
  return seconds;
}

/** How the polled migration batch is watched: clients polling at once, and each one's pause between polls. */
export interface PollSettings {
  readonly clients: number;
  readonly pauseMs: number;
}

/**
 * Batch throughput on one worker process: seeds `count` waiting instances, then runs a migration batch
 * (v1 → v2), the same migration (v2 → v3, a copy of v2) while `poll.clients` clients poll the batch's
 * status through the API, and a modification batch over them through the REST API, printing
 * instances/s end to end, the time from request to the batch's history `endTime`, CPU per instance,
 * the polls' latencies, the worker's peak memory, and the time of a plain bulk SQL `UPDATE` of as many
 * instance rows (the floor). Then the `executeAsync` answer time for selections of 10,000 and
 * 1,000,000 instances chosen by a query.
 */
export async function batchBench(options: {
  count: number;
  settings: Record<string, string>;
  workerNodeArgs: readonly string[];
  apiNodeArgs: readonly string[];
  /** Parts to leave out (`polled`, `modification`, `answer`), e.g. to compare settings on the migration alone. */
  skip: ReadonlySet<string>;
  poll: PollSettings;
}): Promise<void> {
  const server = await startServer('api', options.settings, options.apiNodeArgs);
  const connected = await connect(server.env);
  const worker = startBenchWorker(server, options.workerNodeArgs);
  try {
    await reportDatabaseSettings(connected.infrastructure.dataSource);
    // v3 and v4 are copies of v2: the polled migration (v2 → v3) and the unpolled one after it
    // (v3 → v4, on a process as warm as the polled one's) do the same work as the first (v1 → v2).
    for (const version of ['order.bpmn', 'order-v2.bpmn', 'order-v2.bpmn', 'order-v2.bpmn'])
      await deployXml(server.baseUrl, { 'order.bpmn': fixture(version) });
    const [v1, v2, v3, v4] = (
      await connected.services.repository.queryDefinitions({ key: 'order' }, undefined, [
        { by: 'version', order: 'asc' },
      ])
    ).map((d) => d.id);
    const seeded = await seed(connected, v1!, options.count);
    report(`seed ${options.count} instances`, seeded, 's', `${(options.count / seeded).toFixed(0)}/s`);

    const settings = `invocationsPerBatchJob=${server.env.BATCH_INVOCATIONS_PER_JOB ?? 'default'}, batchJobsPerSeed=${server.env.BATCH_JOBS_PER_SEED ?? 'default'}`;
    // The benchmark's own process runs the polling clients: its CPU shows what they cost this machine.
    const pids = benchProcesses(server, worker, 'bench (pollers)');
    const migrate = (source: string, target: string, poll?: PollSettings) =>
      measureCpu(pids, () =>
        runBatch(
          server,
          connected,
          '/migration/executeAsync',
          {
            migrationPlan: {
              sourceProcessDefinitionId: source,
              targetProcessDefinitionId: target,
              instructions: [{ sourceActivityIds: ['approve'], targetActivityIds: ['approve'] }],
            },
            processInstanceQuery: { processDefinitionId: source },
          },
          poll,
        ),
      );
    const migration = await migrate(v1!, v2!);
    reportBatch('migration', options.count, migration.result.seconds, migration.cpu, settings);
    let current = v2!;
    if (!options.skip.has('polled')) {
      const polled = await migrate(v2!, v3!, options.poll);
      const label = `polled migration (${options.poll.clients} clients)`;
      reportBatch(label, options.count, polled.result.seconds, polled.cpu, settings);
      reportPolls(label, polled.result.polls, polled.result.seconds);
      const again = await migrate(v3!, v4!);
      reportBatch('unpolled migration again', options.count, again.result.seconds, again.cpu, settings);
      current = v4!;
    }

    if (!options.skip.has('modification')) {
      const modification = await measureCpu(pids, () =>
        runBatch(server, connected, '/modification/executeAsync', {
          processDefinitionId: current,
          instructions: [
            { type: 'startBeforeActivity', activityId: 'ship' },
            { type: 'cancel', activityId: 'approve' },
          ],
          processInstanceQuery: { processDefinitionId: current },
        }),
      );
      reportBatch('modification', options.count, modification.result.seconds, modification.cpu, settings);
    }
    report('worker peak memory (VmHWM)', peakMemoryMiB(worker.pid!), 'MiB');

    const floor = await timed(() =>
      connected.infrastructure.dataSource.query(
        'UPDATE ru_process_instance SET definition_id = ? WHERE definition_id = ?',
        [v1, current],
      ),
    );
    report(
      `floor: bulk SQL UPDATE of ${options.count} rows`,
      floor.seconds,
      's',
      `${(options.count / floor.seconds).toFixed(0)}/s`,
    );
    // How far the migration batch is above the floor (the target: within 4×).
    report('migration batch time / floor time', migration.result.seconds / floor.seconds, '×');

    if (options.skip.has('answer')) return;
    for (const selected of [10_000, 1_000_000]) {
      const definitionId = await cloneInstances(connected, v1!, selected);
      // By definition alone (the common migration: counted from the kept count), and with one more
      // filter (counted by an index scan, so it grows with the selection).
      for (const [label, query] of [
        ['by definition', { processDefinitionId: definitionId }],
        ['by definition + state', { processDefinitionId: definitionId, active: true }],
      ] as const) {
        const answer = await timed(() =>
          post(server, '/process-instance/delete', { processInstanceQuery: query }),
        );
        if (answer.result.status !== 200)
          throw new Error(`executeAsync failed: ${JSON.stringify(answer.result.json)}`);
        report(`executeAsync, ${selected} ${label}`, answer.seconds * 1000, 'ms');
        await fetch(`${server.baseUrl}/engine-rest/batch/${String(answer.result.json.id)}?cascade=true`, {
          method: 'DELETE',
        });
      }
    }
  } finally {
    await worker.stop();
    await connected.close();
    await server.stop();
  }
}

/**
 * Prints the database settings the figures depend on: the buffer pool, whether commits are durable
 * (`innodb_flush_log_at_trx_commit=1`) and the redo log's size.
 */
async function reportDatabaseSettings(dataSource: Connected['infrastructure']['dataSource']): Promise<void> {
  const rows = (await dataSource.query(
    `SHOW VARIABLES WHERE Variable_name IN ('version', 'innodb_buffer_pool_size', 'innodb_flush_log_at_trx_commit',
       'innodb_log_file_size', 'innodb_redo_log_capacity')`,
  )) as Array<{ Variable_name: string; Value: string }>;
  const value = (name: string) => rows.find((row) => row.Variable_name === name)?.Value;
  const mib = (name: string) => (value(name) === undefined ? 'n/a' : `${Number(value(name)) / 2 ** 20} MiB`);
  process.stdout.write(
    `database: ${value('version') ?? '?'}, buffer pool ${mib('innodb_buffer_pool_size')}, ` +
      `innodb_flush_log_at_trx_commit=${value('innodb_flush_log_at_trx_commit') ?? '?'}, ` +
      `redo log ${mib(value('innodb_redo_log_capacity') === undefined ? 'innodb_log_file_size' : 'innodb_redo_log_capacity')}\n`,
  );
}

/**
 * Prints a batch's throughput and what it cost: CPU per instance of each process (independent of how
 * busy the host was) and the share of CPU the hypervisor stole meanwhile (which lowers throughput).
 */
export function reportBatch(
  name: string,
  count: number,
  seconds: number,
  cpu: CpuUse,
  settings: string,
): void {
  report(`${name} batch: instances/s`, count / seconds, '/s', settings);
  report(`${name} batch: request → endTime`, seconds, 's');
  for (const [process, used] of Object.entries(cpu.seconds))
    report(`${name} batch: ${process} CPU per instance`, (used / count) * 1e6, 'µs');
  report(`${name} batch: CPU stolen by the host`, cpu.stolen * 100, '%');
}

/** Prints the latencies of the polls made during a batch: all together, then by kind. */
function reportPolls(name: string, polls: PollLatencies, seconds: number): void {
  const all = [...polls.values()].flat();
  report(`${name}: polls/s`, all.length / seconds, '/s');
  for (const [kind, latencies] of [['all', all] as const, ...polls]) {
    report(`${name}: ${kind} p50`, percentile(latencies, 50), 'ms');
    report(`${name}: ${kind} p99`, percentile(latencies, 99), 'ms', `${latencies.length} polls`);
  }
}

/**
 * The status reads a dashboard polls while a batch runs, by kind (the label reported): statistics,
 * the batch, a page of its items (all, and by state) and item counts.
 */
function statusReads(batchId: string): ReadonlyArray<readonly [string, string]> {
  const batch = `/batch/${batchId}`;
  return [
    ['statistics', '/batch/statistics'],
    ['batch', batch],
    ['items', `${batch}/items?maxResults=100`],
    ['items', `${batch}/items?state=pending&maxResults=100`],
    ['items', `${batch}/items?state=done&firstResult=100&maxResults=100`],
    ['items', `${batch}/items?state=failed&maxResults=100`],
    ['items/count', `${batch}/items/count`],
    ['items/count', `${batch}/items/count?state=done`],
    ['items/count', `${batch}/items/count?state=pending`],
  ];
}

/** Polls a batch's status reads from `poll.clients` clients, round robin, until stopped. */
function pollBatch(
  server: BenchServer,
  batchId: string,
  poll: PollSettings,
): { stop(): Promise<PollLatencies> } {
  const reads = statusReads(batchId);
  return startPolling(poll.clients, poll.pauseMs, async (client, round) => {
    const [kind, path] = reads[(client + round) % reads.length]!;
    const response = await fetch(`${server.baseUrl}/engine-rest${path}`);
    await response.arrayBuffer();
    // 404: the batch ended (or has no items yet) while polling.
    if (!response.ok && response.status !== 404) throw new Error(`GET ${path}: ${response.status}`);
    return kind;
  });
}

export async function runBatch(
  server: BenchServer,
  connected: Connected,
  path: string,
  body: unknown,
  poll?: PollSettings,
): Promise<{ seconds: number; polls: PollLatencies }> {
  const created = await post(server, path, body);
  if (created.status !== 200)
    throw new Error(`${path} failed: ${created.status} ${JSON.stringify(created.json)}`);
  const batchId = String(created.json.id);
  const polling = poll && pollBatch(server, batchId, poll);
  await waitUntil(
    async () => (await fetch(`${server.baseUrl}/engine-rest/batch/${batchId}`)).status === 404,
    3_600_000,
    200,
  );
  const polls = (await polling?.stop()) ?? new Map();
  const [history] = (await connected.services.batches.historic({ batchId })) ?? [];
  const failed = await connected.services.batches.countItems(batchId, 'failed');
  if (failed > 0) throw new Error(`${failed} items of batch ${batchId} failed`);
  return { seconds: (history!.endTime!.getTime() - history!.startTime.getTime()) / 1000, polls };
}

/**
 * Adds `count` instance rows of a fresh definition id by SQL (only the instance rows, and their count:
 * enough for a query selection to count them; these instances are never executed).
 */
async function cloneInstances(connected: Connected, definitionId: string, count: number): Promise<string> {
  const clone = `${definitionId}-clone-${count}`;
  const sql = connected.infrastructure.dataSource;
  for (let done = 0; done < count; done += 100_000) {
    const size = Math.min(100_000, count - done);
    await sql.query(
      `INSERT INTO ru_process_instance (id, definition_id, definition_key, business_key, tenant_id, suspended, start_time, revision)
       SELECT UUID(), ?, 'order', NULL, NULL, 0, NOW(3), 1 FROM (SELECT 1 FROM information_schema.COLUMNS a, information_schema.COLUMNS b LIMIT ${size}) n`,
      [clone],
    );
  }
  // Rows written behind the store's back: keep its count of running instances per definition true.
  await sql.query('INSERT INTO ru_definition_instances (definition_id, slot, instances) VALUES (?, 0, ?)', [
    clone,
    count,
  ]);
  return clone;
}
