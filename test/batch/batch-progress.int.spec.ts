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

interface FailureGroup {
  reason: string;
  count: number;
  sample: { processInstanceId: string; error: { type: string } };
}

/**
 * Beyond Camunda, for operators: a batch's progress over its items (rate, estimated end, duration once
 * ended) and its failed items grouped by reason, over REST with real workers.
 */
describe('batch progress and failures by reason', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);
  const waitingInTaskA = (definitionId: string, count: number) =>
    startWaitingInTaskA(stack, definitionId, count);

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '5', BATCH_POLL_TIME_MS: '60000' } });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it('counts items with a rate while it runs, and groups its failures by reason', async () => {
    const versions = await deployVersions(stack.app, 'fork', 'forkProgress');
    const good = await waitingInTaskA(versions.v1, 20);
    const bad = await startInstancesOf(stack, versions.v1, 3);
    const ghosts = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    const batch = await migrateForkTaskA(stack.app, versions, [...good, ...bad, ...ghosts]);
    await waitUntil(
      async () =>
        (await api().get(`/engine-rest/batch/${batch.id}/items/count?state=pending`)).body.count === 0,
      30_000,
    );

    const progress = (await api().get(`/engine-rest/batch/${batch.id}/progress`).expect(200)).body;
    expect(progress).toMatchObject({
      batchId: batch.id,
      type: 'instance-migration',
      total: 25,
      done: 20,
      failed: 5,
      pending: 0,
      endTime: null,
      durationMs: null,
    });
    expect(progress.itemsPerSecond).toBeGreaterThan(0);
    expect(Date.parse(progress.estimatedEndTime)).toBeLessThanOrEqual(Date.now() + 1000);

    const groups = (await api().get(`/engine-rest/batch/${batch.id}/failures`).expect(200))
      .body as FailureGroup[];
    expect(groups.map((group) => group.count)).toEqual([3, 2]);
    expect(groups[0]!.reason).toContain(
      "MigratingProcessInstanceValidationException: ENGINE-23004 Cannot migrate process instance '…'",
    );
    expect(groups[0]!.reason).not.toContain(bad[0]!);
    expect(bad).toContain(groups[0]!.sample.processInstanceId);
    expect(groups[0]!.sample.error.type).toBe('MigratingProcessInstanceValidationException');
    expect(ghosts).toContain(groups[1]!.sample.processInstanceId);
    expect((await api().get(`/engine-rest/batch/${batch.id}/failures/count`).expect(200)).body).toEqual({
      count: 2,
    });
    const second = await api()
      .get(`/engine-rest/batch/${batch.id}/failures?firstResult=1&maxResults=1`)
      .expect(200);
    expect(second.body.map((group: FailureGroup) => group.count)).toEqual([2]);

    // Fixed, the instances of the first group succeed when its jobs are retried; the ghosts still fail.
    for (const id of bad) {
      await api()
        .post(`/engine-rest/process-instance/${id}/modification`)
        .send({ instructions: [{ type: 'cancel', activityId: 'taskB' }] })
        .expect(204);
    }
    const retried = await api()
      .post(`/engine-rest/batch/${batch.id}/failures/retry`)
      .send({ reason: groups[0]!.reason })
      .expect(200);
    expect(retried.body.retriedJobs).toBeGreaterThanOrEqual(1);
    const itemCount = async (state: string) =>
      (await api().get(`/engine-rest/batch/${batch.id}/items/count?state=${state}`)).body.count as number;
    await waitUntil(async () => (await itemCount('done')) === 23, 30_000);
    expect(await itemCount('failed')).toBe(2);
    await api().post(`/engine-rest/batch/${batch.id}/failures/retry`).send({ other: 1 }).expect(400);
    await api().post('/engine-rest/batch/nope/failures/retry').send({}).expect(404);
  });

  it('answers an ended batch’s duration and average rate, and 404 for an unknown batch', async () => {
    const versions = await deployVersions(stack.app, 'fork', 'forkProgressDone');
    const ids = await waitingInTaskA(versions.v1, 10);
    const batch = await migrateForkTaskA(stack.app, versions, ids);
    await waitUntil(async () => (await api().get(`/engine-rest/batch/${batch.id}`)).status === 404, 30_000);

    const progress = (await api().get(`/engine-rest/history/batch/${batch.id}/progress`).expect(200)).body;
    expect(progress).toMatchObject({ total: 10, done: 10, failed: 0, pending: 0 });
    expect(progress.endTime).toEqual(expect.any(String));
    expect(progress.estimatedEndTime).toBe(progress.endTime);
    expect(progress.durationMs).toBeGreaterThanOrEqual(0);
    expect(progress.itemsPerSecond).toBeGreaterThan(0);
    expect((await api().get(`/engine-rest/batch/${batch.id}/failures`).expect(200)).body).toEqual([]);
    const unknown = await api().get('/engine-rest/batch/nope/progress').expect(404);
    expect(unknown.body.message).toBe("Batch with id 'nope' does not exist");
    await api().get('/engine-rest/history/batch/nope/progress').expect(404);
  });
});
