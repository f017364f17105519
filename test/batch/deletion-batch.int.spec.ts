import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/** Batches on real workers, through the deletion batch (`POST /process-instance/delete`). */
describe('batches', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);

  const startInstances = async (key: string, count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1)
      ids.push(
        (await api().post(`/engine-rest/process-definition/key/${key}/start`).send({}).expect(200)).body.id,
      );
    return ids;
  };
  const running = async (key: string) =>
    (await api().get(`/engine-rest/process-instance/count?processDefinitionKey=${key}`).expect(200)).body
      .count as number;
  const batchGone = async (id: string) => (await api().get(`/engine-rest/batch/${id}`)).status === 404;

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '7', BATCH_JOBS_PER_SEED: '3', BATCH_POLL_TIME_MS: '60000' },
    });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it('deletes every selected instance exactly once and completes, with history and items', async () => {
    await deploy(stack.app, [
      { name: 'a.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'doomed') },
    ]).expect(200);
    await startInstances('doomed', 60);

    const created = await api()
      .post('/engine-rest/process-instance/delete')
      .send({ processInstanceQuery: { processDefinitionKey: 'doomed' }, deleteReason: 'cleanup' })
      .expect(200);
    expect(created.body).toMatchObject({
      type: 'instance-deletion',
      totalJobs: 9,
      size: 9,
      batchJobsPerSeed: 3,
      invocationsPerBatchJob: 7,
      suspended: false,
      tenantId: null,
      createUserId: null,
      startTime: expect.any(String),
    });
    const id = created.body.id as string;

    await waitUntil(() => batchGone(id), 30_000);
    expect(await running('doomed')).toBe(0);
    const history = await api().get(`/engine-rest/history/batch/${id}`).expect(200);
    expect(history.body).toMatchObject({
      id,
      totalJobs: 9,
      endTime: expect.any(String),
      executionStartTime: expect.any(String),
    });
    expect((await api().get(`/engine-rest/batch/${id}/items/count?state=done`).expect(200)).body.count).toBe(
      60,
    );
    expect(
      (await api().get(`/engine-rest/batch/${id}/items/count?state=pending`).expect(200)).body.count,
    ).toBe(0);
    const finished = await api().get('/engine-rest/history/process-instance?processDefinitionKey=doomed');
    if (finished.status === 200)
      expect(finished.body.every((h: { state: string }) => h.state === 'EXTERNALLY_TERMINATED')).toBe(true);
  });

  it('includes only instances that existed when the batch was created', async () => {
    await deploy(stack.app, [
      { name: 'b.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'snapshot') },
    ]).expect(200);
    await startInstances('snapshot', 10);
    await api().put(`/engine-rest/batch/none/suspended`).send({ suspended: true }).expect(400);
    const created = await api()
      .post('/engine-rest/process-instance/delete')
      .send({ processInstanceQuery: { processDefinitionKey: 'snapshot' } })
      .expect(200);
    const late = await startInstances('snapshot', 3);
    await waitUntil(() => batchGone(created.body.id), 30_000);
    const left = await api().get('/engine-rest/process-instance?processDefinitionKey=snapshot').expect(200);
    expect(left.body.map((instance: { id: string }) => instance.id).sort()).toEqual([...late].sort());
  });

  it('parks a suspended batch and finishes it once activated', async () => {
    await deploy(stack.app, [
      { name: 'c.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'paused') },
    ]).expect(200);
    const ids = await startInstances('paused', 30);
    const created = await api()
      .post('/engine-rest/process-instance/delete')
      .send({ processInstanceIds: ids })
      .expect(200);
    const id = created.body.id as string;
    await api().put(`/engine-rest/batch/${id}/suspended`).send({ suspended: true }).expect(204);
    const before = (await api().get(`/engine-rest/batch/statistics?batchId=${id}`).expect(200)).body[0];
    expect(before.suspended).toBe(true);

    // While suspended, nothing moves: sample the state a few times over a second.
    const runningBefore = await running('paused');
    for (let i = 0; i < 5; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(
        (await api().get(`/engine-rest/batch/statistics?batchId=${id}`).expect(200)).body[0],
      ).toMatchObject({
        completedJobs: before.completedJobs,
        jobsCreated: before.jobsCreated,
      });
      expect(await running('paused')).toBe(runningBefore);
    }

    await api().put(`/engine-rest/batch/${id}/suspended`).send({ suspended: false }).expect(204);
    await waitUntil(() => batchGone(id), 30_000);
    expect(await running('paused')).toBe(0);
  });

  it('deletes a batch: its work stops, history records the end, cascade removes the history', async () => {
    await deploy(stack.app, [
      { name: 'd.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'kept') },
    ]).expect(200);
    const ids = await startInstances('kept', 20);
    const created = await api()
      .post('/engine-rest/process-instance/delete')
      .send({ processInstanceIds: ids })
      .expect(200);
    const id = created.body.id as string;
    await api().put(`/engine-rest/batch/${id}/suspended`).send({ suspended: true }).expect(204);
    const runningBefore = await running('kept');
    await api().delete(`/engine-rest/batch/${id}`).expect(204);
    await api().get(`/engine-rest/batch/${id}`).expect(404);
    expect((await api().get(`/engine-rest/history/batch/${id}`).expect(200)).body.endTime).toEqual(
      expect.any(String),
    );
    expect(await running('kept')).toBe(runningBefore);
    await api().delete(`/engine-rest/batch/${id}`).expect(400);

    const second = await api()
      .post('/engine-rest/process-instance/delete')
      .send({ processInstanceIds: ids.slice(0, 2) })
      .expect(200);
    await api().put(`/engine-rest/batch/${second.body.id}/suspended`).send({ suspended: true }).expect(204);
    await api().delete(`/engine-rest/batch/${second.body.id}?cascade=true`).expect(204);
    await api().get(`/engine-rest/history/batch/${second.body.id}`).expect(404);
  });

  it('records instances that cannot be handled on their items and leaves the job failed', async () => {
    await deploy(stack.app, [
      { name: 'e.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'mixed') },
    ]).expect(200);
    const ids = await startInstances('mixed', 5);
    const created = await api()
      .post('/engine-rest/process-instance/delete')
      .send({ processInstanceIds: [...ids, 'no-such-instance'] })
      .expect(200);
    const id = created.body.id as string;
    await waitUntil(
      async () => (await api().get(`/engine-rest/batch/statistics?batchId=${id}`)).body[0]?.failedJobs === 1,
      30_000,
    );
    expect(await running('mixed')).toBe(0);
    const failed = await api().get(`/engine-rest/batch/${id}/items?state=failed`).expect(200);
    expect(failed.body).toEqual([
      expect.objectContaining({
        processInstanceId: 'no-such-instance',
        state: 'failed',
        error: expect.objectContaining({
          type: 'NotFoundException',
          message: expect.stringContaining('no-such-instance'),
        }),
      }),
    ]);
    await api().get(`/engine-rest/batch/${id}`).expect(200);

    // The failed job is a Camunda failed job of the batch's execution-job definition.
    const batchJobDefinitionId = created.body.batchJobDefinitionId as string;
    const failedJobs = await api()
      .get(`/engine-rest/job?jobDefinitionId=${batchJobDefinitionId}&noRetriesLeft=true`)
      .expect(200);
    expect(failedJobs.body).toEqual([
      expect.objectContaining({
        batchId: id,
        jobDefinitionId: batchJobDefinitionId,
        retries: 0,
        exceptionMessage: expect.stringContaining('no-such-instance'),
        processInstanceId: null,
      }),
    ]);
    const jobId = failedJobs.body[0].id as string;

    // A retry re-runs only the unfinished item, which fails again; the done items stay done once.
    await api().put(`/engine-rest/job/${jobId}/retries`).send({ retries: 1 }).expect(204);
    await waitUntil(async () => (await api().get(`/engine-rest/job/${jobId}`)).body.retries === 0, 30_000);
    expect((await api().get(`/engine-rest/batch/${id}/items/count?state=done`).expect(200)).body.count).toBe(
      5,
    );

    // Deleting the failed job abandons its item, and the batch completes.
    await api().delete(`/engine-rest/job/${jobId}`).expect(204);
    await waitUntil(() => batchGone(id), 30_000);
    expect((await api().get(`/engine-rest/history/batch/${id}`).expect(200)).body.endTime).toEqual(
      expect.any(String),
    );
  });

  it('refuses an empty selection', async () => {
    const response = await api()
      .post('/engine-rest/process-instance/delete')
      .send({ processInstanceQuery: { processDefinitionKey: 'nothing-here' } })
      .expect(400);
    expect(response.body).toEqual({
      type: 'BadUserRequestException',
      message: 'processInstanceIds is empty',
      code: 0,
    });
  });
});
