import request from 'supertest';
import { modifyInstance, variablesOf } from '@libs/engine';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';
import {
  cancelActivity,
  deployVersions,
  failedBatchJobs,
  migrateForkTaskA,
  startById,
  startInstancesOf,
} from '../support/migration';

/** `POST /migration/executeAsync` on real workers: many instances, failing items with reports, retries. */
describe('POST /migration/executeAsync', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);
  const batchGone = async (id: string) => (await api().get(`/engine-rest/batch/${id}`)).status === 404;
  const countOn = async (definitionId: string) =>
    (await api().get(`/engine-rest/process-instance/count?processDefinitionId=${definitionId}`).expect(200))
      .body.count as number;
  const startMany = (definitionId: string, count: number) =>
    startInstancesOf(stack, definitionId, count, variablesOf({ initiator: 'ops' }));

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '10', BATCH_JOBS_PER_SEED: '5', BATCH_POLL_TIME_MS: '60000' },
    });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it('migrates 200 instances exactly once and completes, with history and the operation log', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'approval', 'approvalMany');
    await startMany(v1, 200);
    const plan = (
      await api()
        .post('/engine-rest/migration/generate')
        .send({ sourceProcessDefinitionId: v1, targetProcessDefinitionId: v2 })
        .expect(200)
    ).body;

    const created = await api()
      .post('/engine-rest/migration/executeAsync')
      .send({ migrationPlan: plan, processInstanceQuery: { processDefinitionId: v1 } })
      .expect(200);
    expect(created.body).toMatchObject({
      type: 'instance-migration',
      totalJobs: 20,
      jobsCreated: 0,
      invocationsPerBatchJob: 10,
      tenantId: null,
      executionStartTime: null,
    });
    const id = created.body.id as string;
    await waitUntil(() => batchGone(id), 60_000);

    expect(await countOn(v1)).toBe(0);
    expect(await countOn(v2)).toBe(200);
    expect((await api().get(`/engine-rest/batch/${id}/items/count?state=done`)).body.count).toBe(200);
    const done = (await api().get(`/engine-rest/batch/${id}/items?state=done&maxResults=500`).expect(200))
      .body;
    expect(done).toHaveLength(200);
    expect(new Set(done.map((item: { processInstanceId: string }) => item.processInstanceId)).size).toBe(200);
    expect(
      done.every((item: { state: string; updated: string }) => item.state === 'done' && item.updated),
    ).toBe(true);
    expect((await api().get(`/engine-rest/batch/${id}/items?state=pending`).expect(200)).body).toEqual([]);
    const page = (await api().get(`/engine-rest/batch/${id}/items?firstResult=190&maxResults=20`).expect(200))
      .body;
    expect(page.map((item: { state: string }) => item.state)).toEqual(Array(10).fill('done'));
    expect((await api().get(`/engine-rest/history/batch/${id}`).expect(200)).body.endTime).toEqual(
      expect.any(String),
    );
    const historic = await api()
      .get(`/engine-rest/history/process-instance/count?processDefinitionId=${v2}`)
      .expect(200);
    expect(historic.body.count).toBe(200);
    const log = await api().get(`/engine-rest/history/user-operation?processDefinitionId=${v1}`).expect(200);
    expect(
      Object.fromEntries(
        log.body.map((e: { property: string; newValue: string }) => [e.property, e.newValue]),
      ),
    ).toEqual({ processDefinitionId: v2, nrOfInstances: '200', async: 'true' });
    expect(log.body[0].batchId).toBe(id);
  });

  it('validates the plan synchronously with the same 400 as the sync endpoint', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'fork', 'forkAsyncPlan');
    const response = await api()
      .post('/engine-rest/migration/executeAsync')
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: v1,
          targetProcessDefinitionId: v2,
          instructions: [{ sourceActivityIds: ['taskA'], targetActivityIds: ['nowhere'] }],
        },
        processInstanceIds: ['any'],
      })
      .expect(400);
    expect(response.body.type).toBe('MigrationPlanValidationException');
    expect((await api().get('/engine-rest/batch/count?type=instance-migration')).body.count).toBe(0);
  });

  it('fails exactly the bad instances with their reports, and completes once they are fixed and retried', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'fork', 'forkAsync');
    const ids = await startMany(v1, 30);
    // Waiting in taskA only: these pass a plan that maps taskA alone; the other three keep taskB.
    const bad = ids.slice(0, 3);
    for (const id of ids.slice(3)) {
      await stack.services.runtime.update(id, (model, state, ctx) =>
        modifyInstance(model, state, { instructions: [{ type: 'cancel', activityId: 'taskB' }] }, ctx),
      );
    }
    const created = await migrateForkTaskA(stack.app, { v1, v2 }, ids);
    const id = created.id;
    const failedJobsOf = () => failedBatchJobs(stack.app, created.batchJobDefinitionId);
    await waitUntil(
      async () => (await api().get(`/engine-rest/batch/${id}/items/count?state=pending`)).body.count === 0,
      30_000,
    );
    const failedItems = (await api().get(`/engine-rest/batch/${id}/items?state=failed`).expect(200)).body;
    expect(failedItems.map((item: { processInstanceId: string }) => item.processInstanceId).sort()).toEqual(
      [...bad].sort(),
    );
    expect(failedItems[0].error).toMatchObject({
      type: 'MigratingProcessInstanceValidationException',
      validationReport: {
        activityInstanceValidationReports: [
          expect.objectContaining({
            sourceScopeId: 'taskB',
            failures: ["There is no migration instruction for this instance's activity"],
          }),
        ],
      },
    });
    const failedJobs = await failedJobsOf();
    expect(failedJobs.length).toBeGreaterThanOrEqual(1);
    expect(failedJobs[0]!.exceptionMessage).toContain('ENGINE-23004');
    expect(await countOn(v2)).toBe(27);
    await api().get(`/engine-rest/batch/${id}`).expect(200);

    // Fix the bad instances so they validate, then retry all failed jobs of the batch.
    await cancelActivity(stack.app, bad, 'taskB');
    await api()
      .put(`/engine-rest/job-definition/${created.batchJobDefinitionId}/retries`)
      .send({ retries: 1 })
      .expect(204);
    await waitUntil(() => batchGone(id), 30_000);
    expect(await countOn(v1)).toBe(0);
    expect(await countOn(v2)).toBe(30);
    expect((await api().get(`/engine-rest/batch/${id}/items/count?state=done`)).body.count).toBe(30);
    // Items of jobs done at once and of the retried job (outcomes written per item) read alike.
    const items = (await api().get(`/engine-rest/batch/${id}/items?maxResults=100`).expect(200)).body;
    expect(items.map((item: { state: string }) => item.state)).toEqual(Array(30).fill('done'));
    expect(items.filter((item: { error: unknown }) => item.error !== null)).toEqual([]);
  });

  it('records an unknown instance as a failed item', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'approval', 'approvalGhost');
    const real = await startById(stack.app, v1, { initiator: { value: 'bob', type: 'String' } });
    const created = await api()
      .post('/engine-rest/migration/executeAsync')
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: v1,
          targetProcessDefinitionId: v2,
          instructions: [{ sourceActivityIds: ['approve'], targetActivityIds: ['approve'] }],
        },
        processInstanceIds: [real, 'ghost'],
      })
      .expect(200);
    await waitUntil(
      async () =>
        (await api().get(`/engine-rest/batch/${created.body.id}/items/count?state=failed`)).body.count === 1,
      30_000,
    );
    expect(await countOn(v2)).toBe(1);
  });
});
