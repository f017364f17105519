import request from 'supertest';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';
import { deployVersions, migrateForkTaskA, startWaitingInTaskA } from '../support/migration';

/** `name{labels} value` lines of a Prometheus text page, by metric name. */
function series(page: string, name: string): Array<{ labels: string; value: number }> {
  return page
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      const labels = line.includes('{') ? line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1) : '';
      return { labels, value };
    });
}

const valueOf = (page: string, name: string, labels: string) =>
  series(page, name).find((entry) => entry.labels === labels)?.value ?? 0;

/**
 * `GET /metrics` in Prometheus's format while batches run on a worker of this process: the counters
 * move, and the label sets do not grow with the number of batches (no ids as labels).
 */
describe('GET /metrics', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const scrape = async () => {
    const response = await request(stack.app).get('/metrics').expect(200);
    expect(response.headers['content-type']).toContain('text/plain');
    return response.text;
  };
  const runBatch = async (key: string, count: number) => {
    const versions = await deployVersions(stack.app, 'fork', key);
    const ids = await startWaitingInTaskA(stack, versions.v1, count);
    const batch = await migrateForkTaskA(stack.app, versions, ids);
    await waitUntil(
      async () => (await request(stack.app).get(`/engine-rest/batch/${batch.id}`)).status === 404,
      30_000,
    );
    return batch.id;
  };

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '10', BATCH_POLL_TIME_MS: '60000' } });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it('counts the items a batch handled, times its jobs and requests, and reports queues and the pool', async () => {
    const before = await scrape();
    const done = '{type="instance-migration",outcome="done"}';

    await runBatch('forkMetrics', 30);

    const after = await scrape();
    expect(
      valueOf(after, 'batch_ops_batch_items_total', done) -
        valueOf(before, 'batch_ops_batch_items_total', done),
    ).toBe(30);
    expect(
      valueOf(after, 'batch_ops_batch_execution_job_duration_seconds_count', '{type="instance-migration"}'),
    ).toBe(3);
    expect(
      valueOf(
        after,
        'batch_ops_http_request_duration_seconds_count',
        '{method="POST",route="/engine-rest/migration/executeAsync",status_code="200"}',
      ),
    ).toBe(1);
    expect(
      series(after, 'batch_ops_http_request_duration_seconds_count').map((s) => s.labels),
    ).toContainEqual('{method="GET",route="/engine-rest/batch/:id",status_code="404"}');
    expect(series(after, 'batch_ops_queue_jobs').map((s) => s.labels)).toContainEqual(
      '{queue="batch-execution",state="waiting"}',
    );
    expect(series(after, 'batch_ops_database_connections').map((s) => s.labels)).toEqual([
      '{state="used"}',
      '{state="free"}',
    ]);
    expect(after).toContain('batch_ops_process_cpu_seconds_total');
  });

  it('keeps the same label sets however many batches ran', async () => {
    const labelSets = (page: string) =>
      page
        .split('\n')
        .filter(
          (line) =>
            line.startsWith('batch_ops_') &&
            !line.startsWith('batch_ops_nodejs') &&
            !line.startsWith('batch_ops_process'),
        )
        .map((line) => line.slice(0, line.lastIndexOf(' ')))
        .filter((key) => !key.startsWith('batch_ops_http_request'))
        .sort();
    const first = await runBatch('forkMetricsA', 10);
    const once = labelSets(await scrape());
    const second = await runBatch('forkMetricsB', 10);
    const third = await runBatch('forkMetricsC', 10);
    const thrice = labelSets(await scrape());

    expect(thrice).toEqual(once);
    for (const id of [first, second, third]) expect(thrice.join('\n')).not.toContain(id);
  });
});
