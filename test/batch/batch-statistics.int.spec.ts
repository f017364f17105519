import request from 'supertest';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';
import {
  cancelActivity,
  deployVersions,
  failedBatchJobs,
  migrateForkTaskA,
  startInstancesOf,
} from '../support/migration';

interface Statistics {
  id: string;
  totalJobs: number;
  remainingJobs: number;
  completedJobs: number;
  failedJobs: number;
}

type ItemCounts = Record<'all' | 'pending' | 'done' | 'failed', number>;

/**
 * What dashboards poll while a batch runs: `/batch/statistics` and the item counts stay consistent
 * (they add up, never go backwards, never count an item twice) during the run, after its jobs failed,
 * and after a retry completed it.
 */
describe('batch statistics under polling', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '5', BATCH_JOBS_PER_SEED: '4', BATCH_POLL_TIME_MS: '60000' },
    });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  const statisticsOf = async (batchId: string): Promise<Statistics | undefined> => {
    const response = await api().get(`/engine-rest/batch/statistics?batchId=${batchId}`).expect(200);
    return (response.body as Statistics[])[0];
  };
  const itemCounts = async (batchId: string): Promise<ItemCounts> => {
    const count = async (query: string) =>
      (await api().get(`/engine-rest/batch/${batchId}/items/count${query}`).expect(200)).body.count as number;
    const [all, pending, done, failed] = await Promise.all(
      ['', '?state=pending', '?state=done', '?state=failed'].map(count),
    );
    return { all: all!, pending: pending!, done: done!, failed: failed! };
  };

  /**
   * Polls like a dashboard from several clients until stopped, checking every answer on the spot and
   * against the same client's previous one: statistics add up and progress only forwards, item counts
   * stay within the batch, and every item of a page is in the state the page was asked for.
   */
  const pollers = (batchId: string, items: number, clients = 4) => {
    let stopping = false;
    const observed = { statistics: 0, counts: 0 };
    const client = async () => {
      let last: Statistics | undefined;
      let lastDone = 0;
      while (!stopping) {
        const statistics = await statisticsOf(batchId);
        if (statistics) {
          expect(statistics.remainingJobs + statistics.completedJobs).toBe(statistics.totalJobs);
          expect(statistics.failedJobs).toBeLessThanOrEqual(statistics.remainingJobs);
          if (last) expect(statistics.completedJobs).toBeGreaterThanOrEqual(last.completedJobs);
          last = statistics;
          observed.statistics += 1;
        }
        const counts = await itemCounts(batchId);
        expect(counts.done).toBeGreaterThanOrEqual(lastDone);
        expect(counts.all).toBeLessThanOrEqual(items);
        // Each count is its own request, answered at its own moment (a failed item may be done by the
        // next one), so only each count on its own is bounded.
        for (const state of ['pending', 'done', 'failed'] as const) {
          expect(counts[state]).toBeGreaterThanOrEqual(0);
          expect(counts[state]).toBeLessThanOrEqual(items);
        }
        lastDone = counts.done;
        observed.counts += 1;
        for (const state of ['pending', 'done'] as const) {
          const page = await api().get(`/engine-rest/batch/${batchId}/items?state=${state}&maxResults=20`);
          if (page.status === 404) continue; // no items yet: the seed has not run
          expect(page.status).toBe(200);
          expect(new Set(page.body.map((item: { state: string }) => item.state))).toEqual(
            new Set(page.body.length > 0 ? [state] : []),
          );
        }
      }
    };
    const running = Promise.all(Array.from({ length: clients }, client));
    running.catch(() => undefined); // reported by stop()
    return {
      async stop() {
        stopping = true;
        await running;
        return observed;
      },
    };
  };

  it('keeps statistics and item counts consistent during and after a batch with failures and a retry', async () => {
    const versions = await deployVersions(stack.app, 'fork', 'forkPolled');
    const ids = await startInstancesOf(stack, versions.v1, 60);
    // Every tenth instance keeps taskB, which a plan mapping taskA alone cannot migrate.
    const bad = ids.filter((_, i) => i % 10 === 0);
    await cancelActivity(
      stack.app,
      ids.filter((id) => !bad.includes(id)),
      'taskB',
    );

    const created = await migrateForkTaskA(stack.app, versions, ids);
    const polling = pollers(created.id, ids.length);
    // The jobs ran: every item has its outcome; the failed jobs keep the batch running.
    // Each count is its own request and may be shared for a moment: wait until all four agree.
    const settled = { all: 60, pending: 0, done: 54, failed: 6 };
    await waitUntil(
      async () => JSON.stringify(await itemCounts(created.id)) === JSON.stringify(settled),
      30_000,
    );
    const observed = await polling.stop();
    expect(observed.statistics).toBeGreaterThan(0);
    expect(observed.counts).toBeGreaterThan(0);
    const failedJobs = (await failedBatchJobs(stack.app, created.batchJobDefinitionId)).length;
    expect(failedJobs).toBeGreaterThan(0);
    // Statistics answers are shared for up to 500 ms too: one may predate the last jobs' ends.
    await waitUntil(async () => {
      const statistics = await statisticsOf(created.id);
      return statistics?.failedJobs === failedJobs && statistics.remainingJobs === failedJobs;
    }, 5_000);
    expect(await statisticsOf(created.id)).toMatchObject({
      totalJobs: 12,
      remainingJobs: failedJobs,
      completedJobs: 12 - failedJobs,
      failedJobs,
    });

    // Fixed and retried under polling: the failed items become done, each counted once.
    await cancelActivity(stack.app, bad, 'taskB');
    const retryPolling = pollers(created.id, ids.length);
    await api()
      .put(`/engine-rest/job-definition/${created.batchJobDefinitionId}/retries`)
      .send({ retries: 1 })
      .expect(204);
    await waitUntil(async () => (await api().get(`/engine-rest/batch/${created.id}`)).status === 404, 30_000);
    await retryPolling.stop();

    await waitUntil(async () => (await statisticsOf(created.id)) === undefined, 5_000);
    await waitUntil(async () => (await itemCounts(created.id)).done === 60, 5_000);
    expect(await itemCounts(created.id)).toEqual({ all: 60, pending: 0, done: 60, failed: 0 });
    const items = (await api().get(`/engine-rest/batch/${created.id}/items?maxResults=100`).expect(200)).body;
    expect(items.map((item: { state: string }) => item.state)).toEqual(Array(60).fill('done'));
  });

  it('counts the items of a query selection as the seed adds them, and all of them at the end', async () => {
    const versions = await deployVersions(stack.app, 'fork', 'forkPolledQuery');
    const ids = await startInstancesOf(stack, versions.v1, 40);
    await cancelActivity(stack.app, ids, 'taskB');
    const created = await migrateForkTaskA(stack.app, versions, {
      processInstanceQuery: { processDefinitionId: versions.v1 },
    });
    const polling = pollers(created.id, ids.length);
    await waitUntil(async () => (await api().get(`/engine-rest/batch/${created.id}`)).status === 404, 30_000);
    await polling.stop();
    await waitUntil(async () => (await itemCounts(created.id)).done === 40, 5_000);
    expect(await itemCounts(created.id)).toEqual({ all: 40, pending: 0, done: 40, failed: 0 });
  });
});
