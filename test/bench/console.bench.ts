import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect, type Connected } from './batch.bench';
import { percentile, report, startServer, timed } from './bench-kit';

/** Items per execution job of the benchmarked batch (the default `invocationsPerBatchJob`). */
const JOB_ITEMS = 1_000;
/** The failure groups of the big batch: reason and how many items. */
const FAILURE_GROUPS: ReadonlyArray<readonly [string, number]> = [
  ["MigratingProcessInstanceValidationException: ENGINE-23004 Cannot migrate process instance '…'", 2_000],
  ["ProcessEngineException: ENGINE-13037 Process instance '…' cannot be modified", 900],
  ['BadUserRequestException: Process instance is suspended', 100],
];
/** `WITH` clause of the numbers 0..999, to make rows by the thousand in SQL. */
const THOUSAND = `WITH RECURSIVE thousand (n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM thousand WHERE n < 999)`;

/**
 * The console's API on a large batch: a running 1,000,000-item migration batch (60 % done in job
 * ranges, 3,000 items failed in three reasons, the rest pending) beside 300 ended batches, inserted
 * directly in the tables (running it would take minutes and is not what is measured). Then `rounds`
 * rounds of every call the console makes for its list, batch and instance pages, each call past the
 * API's short-lived answer cache (a query parameter of its own), and prints their p50/p95 by call.
 */
export async function consoleBench(options: { items: number; rounds: number }): Promise<void> {
  const server = await startServer('api');
  const connected = await connect(server.env);
  try {
    const { seconds, result: batch } = await timed(() => insertBatches(connected, options.items));
    report(`insert a ${options.items.toLocaleString('en-US')}-item batch`, seconds, 's');
    const calls = consoleCalls(batch);
    const latencies = new Map<string, number[]>();
    for (let round = 0; round < options.rounds; round++) {
      for (const [label, path] of calls) {
        const separator = path.includes('?') ? '&' : '?';
        const started = performance.now();
        const response = await fetch(`${server.baseUrl}/engine-rest${path}${separator}round=${round}`);
        await response.arrayBuffer();
        const elapsed = performance.now() - started;
        if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
        latencies.set(label, [...(latencies.get(label) ?? []), elapsed]);
      }
    }
    const all = [...latencies.values()].flat();
    for (const [label, values] of latencies) {
      report(`  ${label}`, percentile(values, 95), 'ms p95', `p50 ${percentile(values, 50).toFixed(1)} ms`);
    }
    report(
      `console API p95 (${options.items.toLocaleString('en-US')}-item batch)`,
      percentile(all, 95),
      'ms',
      `p50 ${percentile(all, 50).toFixed(1)} ms, ${all.length} calls, target < 200 ms`,
    );
  } finally {
    await connected.close();
    await server.stop();
  }
}

interface BigBatch {
  readonly id: string;
  readonly instanceId: string;
  readonly reason: string;
}

/** What the console asks for, by page: the list, the batch page (failures expanded), the instance page. */
function consoleCalls(batch: BigBatch): Array<[string, string]> {
  const reason = encodeURIComponent(batch.reason);
  return [
    ['list: /batch/overview', '/batch/overview?firstResult=0&maxResults=20'],
    ['list: /batch/overview/count', '/batch/overview/count'],
    ['list: filtered by state', '/batch/overview?state=failedJobs&maxResults=20'],
    ['batch: /overview', `/batch/${batch.id}/overview`],
    ['batch: /progress/timeline', `/batch/${batch.id}/progress/timeline`],
    ['batch: /failures', `/batch/${batch.id}/failures?firstResult=0&maxResults=10`],
    ['batch: /failures/count', `/batch/${batch.id}/failures/count`],
    [
      'batch: /failures/items (first page)',
      `/batch/${batch.id}/failures/items?reason=${reason}&maxResults=20`,
    ],
    [
      'batch: /failures/items (page 50)',
      `/batch/${batch.id}/failures/items?reason=${reason}&firstResult=980&maxResults=20`,
    ],
    ['instance: /batches', `/process-instance/${batch.instanceId}/batches`],
  ];
}

async function insertBatches(connected: Connected, items: number): Promise<BigBatch> {
  const sql = (text: string, params: unknown[] = []) =>
    connected.infrastructure.dataSource.query(text, params);
  const one = async <T>(text: string, params: unknown[]) => ((await sql(text, params)) as T[])[0]!;
  const now = Date.now();
  const configuration = (from: string, to: string) =>
    JSON.stringify({
      migrationPlan: {
        sourceProcessDefinitionId: from,
        targetProcessDefinitionId: to,
        instructions: [
          { sourceActivityIds: ['approve'], targetActivityIds: ['approve'], updateEventTrigger: false },
        ],
        variables: null,
      },
      skipListeners: false,
      skipIoMappings: false,
    });
  const history = async (id: string, start: Date, end: Date | null, executionStart: Date | null) =>
    sql(
      `INSERT INTO hi_batch (id, type, total_jobs, batch_jobs_per_seed, invocations_per_batch_job, seed_job_definition_id,
         monitor_job_definition_id, batch_job_definition_id, create_user_id, start_time, end_time, end_state,
         execution_start_time, configuration)
       VALUES (?, 'instance-migration', ?, 100, ?, ?, ?, ?, 'ops', ?, ?, ?, ?, ?)`,
      [
        id,
        Math.ceil(items / JOB_ITEMS),
        JOB_ITEMS,
        randomUUID(),
        randomUUID(),
        randomUUID(),
        start,
        end,
        end ? 'completed' : null,
        executionStart,
        configuration(`order:1:${id}`, `order:2:${id}`),
      ],
    );

  // 300 ended batches of 1,000 items each (counted and done by one range; their items are not needed).
  for (let i = 0; i < 300; i++) {
    const id = randomUUID();
    const start = new Date(now - 86_400_000 - i * 60_000);
    await history(id, start, new Date(start.getTime() + 5_000), start);
    await sql('INSERT INTO batch_item_count (batch_id, items) VALUES (?, 1000)', [id]);
    await sql(
      'INSERT INTO batch_item_range (batch_id, item_first, item_last, items, updated) VALUES (?, 1, 1000, 1000, ?)',
      [id, new Date(start.getTime() + 5_000)],
    );
  }

  // The running batch: started ten minutes ago, its items inserted a hundred thousand at a time.
  const id = randomUUID();
  const start = new Date(now - 600_000);
  await history(id, start, null, start);
  const { d: jobDefinition } = await one<{ d: string }>(
    'SELECT batch_job_definition_id AS d FROM hi_batch WHERE id = ?',
    [id],
  );
  await sql(
    `INSERT INTO ru_batch (id, type, total_jobs, jobs_created, batch_jobs_per_seed, invocations_per_batch_job,
       seed_job_definition_id, monitor_job_definition_id, batch_job_definition_id, create_user_id, start_time,
       execution_start_time, configuration, selection_done, seeding_done, items_sliced)
     SELECT id, type, total_jobs, total_jobs, batch_jobs_per_seed, invocations_per_batch_job, seed_job_definition_id,
       monitor_job_definition_id, batch_job_definition_id, create_user_id, start_time, execution_start_time,
       configuration, 1, 1, ? FROM hi_batch WHERE id = ?`,
    [items, id],
  );
  for (let inserted = 0; inserted < items; inserted += 100_000) {
    const size = Math.min(100_000, items - inserted);
    await sql(
      `INSERT INTO batch_item (batch_id, process_instance_id, state)
       ${THOUSAND} SELECT ?, UUID(), 'pending' FROM thousand a CROSS JOIN thousand b LIMIT ${size}`,
      [id],
    );
  }
  await sql('INSERT INTO batch_item_count (batch_id, items) VALUES (?, ?)', [id, items]);
  const { first } = await one<{ first: number }>(
    'SELECT MIN(id) AS first FROM batch_item WHERE batch_id = ?',
    [id],
  );
  const firstId = Number(first);

  // 60 % done, one range per job, over the ten minutes; then 3,000 failed items in three failed jobs.
  const jobs = Math.ceil(items / JOB_ITEMS);
  const doneJobs = Math.floor(jobs * 0.6);
  for (let job = 0; job < doneJobs; job++) {
    const itemFirst = firstId + job * JOB_ITEMS;
    await sql(
      'INSERT INTO batch_item_range (batch_id, item_first, item_last, items, updated) VALUES (?, ?, ?, ?, ?)',
      [
        id,
        itemFirst,
        itemFirst + JOB_ITEMS - 1,
        JOB_ITEMS,
        new Date(start.getTime() + (job / doneJobs) * 590_000),
      ],
    );
  }
  let failedFirst = firstId + doneJobs * JOB_ITEMS;
  for (const [reason, count] of FAILURE_GROUPS) {
    await sql(
      `UPDATE batch_item SET state = 'failed', reason = ?, updated = ?,
         error = JSON_OBJECT('type', ?, 'message', CONCAT(?, ' ', process_instance_id))
       WHERE batch_id = ? AND id BETWEEN ? AND ?`,
      [
        reason,
        new Date(now - 60_000),
        reason.split(':')[0],
        reason,
        id,
        failedFirst,
        failedFirst + count - 1,
      ],
    );
    failedFirst += count;
  }
  // Execution jobs of the items not done: failed (no retries) for the failed items, pending for the rest.
  const failedJobs = Math.ceil((failedFirst - firstId - doneJobs * JOB_ITEMS) / JOB_ITEMS);
  for (let job = doneJobs; job < jobs; job++) {
    const itemFirst = firstId + job * JOB_ITEMS;
    await sql(
      `INSERT INTO ru_job (id, type, job_definition_id, batch_id, handler_type, retries, suspended, created,
         item_first, item_last, exception_message)
       VALUES (?, 'message', ?, ?, 'instance-migration', ?, 0, ?, ?, ?, ?)`,
      [
        randomUUID(),
        jobDefinition,
        id,
        job < doneJobs + failedJobs ? 0 : 3,
        start,
        itemFirst,
        itemFirst + JOB_ITEMS - 1,
        job < doneJobs + failedJobs ? 'failed' : null,
      ],
    );
  }
  const { subject } = await one<{ subject: string }>(
    'SELECT process_instance_id AS subject FROM batch_item WHERE id = ?',
    [firstId + doneJobs * JOB_ITEMS + 5],
  );
  return { id, instanceId: subject, reason: FAILURE_GROUPS[0]![0] };
}
