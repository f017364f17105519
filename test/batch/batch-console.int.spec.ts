import request from 'supertest';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';
import {
  deployVersions,
  migrateForkTaskA,
  startInstancesOf,
  startWaitingInTaskA,
} from '../support/migration';

interface Overview {
  id: string;
  type: string;
  state: string;
  description: string;
  details: string[];
  total: number;
  done: number;
  failed: number;
  skipped: number;
  pending: number;
  invocationsPerBatchJob: number;
  batchJobsPerSeed: number;
}

const GHOSTS = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];

/**
 * Beyond Camunda, the reads and actions behind the console, over REST with real workers: batches with
 * their state and progress (paged, filtered), one batch's rate over time, the failed items of a group,
 * giving up a group of failures, and the batches that touched an instance.
 */
describe('batch console endpoints', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);
  const overview = async (id: string) =>
    (await api().get(`/engine-rest/batch/${id}/overview`).expect(200)).body as Overview;
  const failedJobsState = (id: string) =>
    waitUntil(async () => (await overview(id)).state === 'failedJobs', 30_000);

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '5', BATCH_POLL_TIME_MS: '60000' } });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  /** A fork migration of 20 good instances, 3 still in taskB (one failure group) and 2 ghosts (another). */
  async function batchWithTwoFailureGroups(key: string) {
    const versions = await deployVersions(stack.app, 'fork', key);
    const good = await startWaitingInTaskA(stack, versions.v1, 20);
    const bad = await startInstancesOf(stack, versions.v1, 3);
    const batch = await migrateForkTaskA(stack.app, versions, [...good, ...bad, ...GHOSTS]);
    await failedJobsState(batch.id);
    return { versions, good, bad, batch };
  }

  it('gives up one failure group, retries the other once fixed, and the batch completes', async () => {
    const { versions, good, bad, batch } = await batchWithTwoFailureGroups('forkConsoleSkip');
    expect(await overview(batch.id)).toMatchObject({
      type: 'instance-migration',
      state: 'failedJobs',
      description: `${versions.v1} → ${versions.v2}`,
      details: ['taskA → taskA'],
      total: 25,
      done: 20,
      failed: 5,
      skipped: 0,
      pending: 0,
      invocationsPerBatchJob: 5,
    });
    const groups = (await api().get(`/engine-rest/batch/${batch.id}/failures`).expect(200)).body as Array<{
      reason: string;
      count: number;
    }>;
    const [badGroup, ghostGroup] = groups;
    expect(groups.map((group) => group.count)).toEqual([3, 2]);

    // The failed items of one group, paged, each with its full error.
    const items = (reason: string, paging = '') =>
      api().get(
        `/engine-rest/batch/${batch.id}/failures/items?reason=${encodeURIComponent(reason)}${paging}`,
      );
    const badItems = (await items(badGroup!.reason).expect(200)).body as Array<{
      processInstanceId: string;
      error: { type: string };
    }>;
    expect(badItems.map((item) => item.processInstanceId).sort()).toEqual([...bad].sort());
    expect(badItems[0]!.error.type).toBe('MigratingProcessInstanceValidationException');
    const secondPage = (await items(badGroup!.reason, '&firstResult=1&maxResults=1').expect(200)).body;
    expect(secondPage).toEqual([badItems[1]]);
    await api().get('/engine-rest/batch/nope/failures/items').expect(404);

    // Giving up the ghosts: their job still holds the failed taskB instances, so it stays.
    const skipped = await api()
      .post(`/engine-rest/batch/${batch.id}/failures/delete`)
      .send({ reason: ghostGroup!.reason })
      .expect(200);
    expect(skipped.body).toEqual({ skippedItems: 2, deletedJobs: 0 });
    expect(await overview(batch.id)).toMatchObject({ failed: 3, skipped: 2, state: 'failedJobs' });
    const skippedItems = await api().get(`/engine-rest/batch/${batch.id}/items?state=skipped`).expect(200);
    expect(
      skippedItems.body.map((item: { processInstanceId: string }) => item.processInstanceId).sort(),
    ).toEqual(GHOSTS);

    // Fixed, the taskB instances migrate on retry; the skipped ghosts are not run again.
    for (const id of bad) {
      await api()
        .post(`/engine-rest/process-instance/${id}/modification`)
        .send({ instructions: [{ type: 'cancel', activityId: 'taskB' }] })
        .expect(204);
    }
    await api().post(`/engine-rest/batch/${batch.id}/failures/retry`).send({}).expect(200);
    await waitUntil(async () => (await overview(batch.id)).state === 'completed', 30_000);
    expect(await overview(batch.id)).toMatchObject({ done: 23, failed: 0, skipped: 2, pending: 0 });

    // The batches that touched an instance, with what became of it.
    const ofInstance = async (id: string) =>
      (await api().get(`/engine-rest/process-instance/${id}/batches`).expect(200)).body as Array<{
        id: string;
        state: string;
        itemState: string;
      }>;
    expect(await ofInstance(good[0]!)).toEqual([
      expect.objectContaining({ id: batch.id, state: 'completed', itemState: 'done' }),
    ]);
    expect(await ofInstance(bad[0]!)).toEqual([expect.objectContaining({ itemState: 'done', error: null })]);
    expect(await ofInstance(GHOSTS[0]!)).toEqual([expect.objectContaining({ itemState: 'skipped' })]);

    // Its rate over time, in buckets from the execution start.
    const timeline = (await api().get(`/engine-rest/batch/${batch.id}/progress/timeline`).expect(200))
      .body as {
      bucketSeconds: number;
      points: Array<{ time: string; itemsPerSecond: number }>;
    };
    expect(timeline.bucketSeconds).toBeGreaterThanOrEqual(1);
    expect(timeline.points.length).toBeGreaterThan(0);
    expect(timeline.points.some((point) => point.itemsPerSecond > 0)).toBe(true);
    await api().get('/engine-rest/batch/nope/progress/timeline').expect(404);
  });

  it('deletes the jobs that giving up leaves without failures, so the batch completes', async () => {
    const { batch } = await batchWithTwoFailureGroups('forkConsoleGiveUp');
    const given = await api().post(`/engine-rest/batch/${batch.id}/failures/delete`).send({}).expect(200);
    expect(given.body).toEqual({ skippedItems: 5, deletedJobs: 1 });
    await waitUntil(async () => (await overview(batch.id)).state === 'completed', 30_000);
    expect(await overview(batch.id)).toMatchObject({ done: 20, failed: 0, skipped: 5 });
    await api().post(`/engine-rest/batch/${batch.id}/failures/delete`).send({ other: 1 }).expect(400);
    await api().post('/engine-rest/batch/nope/failures/delete').send({}).expect(404);
  });

  it('lists batches newest first with their state, paged and filtered; a deleted one says so', async () => {
    const { batch: stuck } = await batchWithTwoFailureGroups('forkConsoleList');
    const versions = await deployVersions(stack.app, 'fork', 'forkConsoleListDone');
    const done = await migrateForkTaskA(
      stack.app,
      versions,
      await startWaitingInTaskA(stack, versions.v1, 5),
    );
    await waitUntil(async () => (await overview(done.id)).state === 'completed', 30_000);

    const list = async (query: string) =>
      ((await api().get(`/engine-rest/batch/overview${query}`).expect(200)).body as Overview[]).map(
        (batch) => batch.id,
      );
    const all = await list('');
    expect(all.indexOf(done.id)).toBeLessThan(all.indexOf(stuck.id));
    expect(await list('?maxResults=1')).toEqual([all[0]]);
    expect(await list('?firstResult=1&maxResults=1')).toEqual([all[1]]);
    expect(await list('?state=failedJobs')).toEqual([stuck.id]);
    expect(await list('?state=completed')).toContain(done.id);
    expect(await list('?state=completed')).not.toContain(stuck.id);
    expect(await list('?type=instance-modification')).toEqual([]);
    expect(await list('?createdBy=nobody')).toEqual([]);
    const count = await api().get('/engine-rest/batch/overview/count?state=failedJobs').expect(200);
    expect(count.body).toEqual({ count: 1 });

    const refused = await api().get('/engine-rest/batch/overview?state=stuck').expect(400);
    expect(refused.body).toMatchObject({ type: 'InvalidRequestException', code: null });
    expect(refused.body.message).toContain("Cannot set query parameter 'state' to value 'stuck'");
    await api().get('/engine-rest/batch/overview?maxResults=-1').expect(400);
    await api().get('/engine-rest/batch/nope/overview').expect(404);

    await api().delete(`/engine-rest/batch/${stuck.id}`).expect(204);
    expect(await overview(stuck.id)).toMatchObject({ state: 'deleted' });
    expect(await list('?state=deleted')).toEqual([stuck.id]);
  });
});
