import request from 'supertest';
import { formatDate } from '@libs/http';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';
import { cancelActivity, deployVersions, failedBatchJobs, migrateForkTaskA } from '../support/migration';

/** `POST /job/retries`: Camunda's `set-job-retries` batch over failed batch jobs, by query and by ids. */
describe('POST /job/retries', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);
  const batchGone = async (id: string) => (await api().get(`/engine-rest/batch/${id}`)).status === 404;

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '2', BATCH_POLL_TIME_MS: '60000' } });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  /** A migration batch over unknown instances only: every job fails (two items per job). */
  async function batchWithFailedJobs(ghosts: number) {
    const { v1, v2 } = await deployVersions(stack.app, 'approval', 'approvalRetries');
    const created = await api()
      .post('/engine-rest/migration/executeAsync')
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: v1,
          targetProcessDefinitionId: v2,
          instructions: [{ sourceActivityIds: ['approve'], targetActivityIds: ['approve'] }],
        },
        processInstanceIds: Array.from({ length: ghosts }, (_, i) => `ghost-${i}`),
      })
      .expect(200);
    const batch = created.body as { id: string; batchJobDefinitionId: string };
    const failedJobs = () => failedBatchJobs(stack.app, batch.batchJobDefinitionId);
    await waitUntil(
      async () =>
        (await api().get(`/engine-rest/batch/${batch.id}/items/count?state=pending`)).body.count === 0,
      30_000,
    );
    return { batch, failedJobs };
  }

  it('rejects bad requests with Camunda bodies and creates nothing', async () => {
    const before = (await api().get('/engine-rest/batch/count').expect(200)).body.count as number;
    const missing = await api()
      .post('/engine-rest/job/retries')
      .send({ jobIds: ['a'] })
      .expect(400);
    expect(missing.body).toEqual({ type: 'InvalidRequestException', message: 'retries is null', code: null });
    const empty = await api().post('/engine-rest/job/retries').send({ retries: 1, jobIds: [] }).expect(400);
    expect(empty.body.message).toBe('jobIds is empty');
    const none = await api()
      .post('/engine-rest/job/retries')
      .send({ retries: 1, jobQuery: { jobDefinitionId: 'no-such-definition' } })
      .expect(400);
    expect(none.body.message).toBe('jobIds is empty');
    const negative = await api()
      .post('/engine-rest/job/retries')
      .send({ retries: -1, jobIds: ['a'] })
      .expect(400);
    expect(negative.body.message).toContain('Retries count');
    const badDate = await api()
      .post('/engine-rest/job/retries')
      .send({ retries: 1, jobIds: ['a'], dueDate: 'tomorrow' })
      .expect(400);
    expect(badDate.body.type).toBe('InvalidRequestException');
    expect((await api().get('/engine-rest/batch/count').expect(200)).body.count).toBe(before);
  });

  it('gives the failed jobs chosen by a query their retries back in a set-job-retries batch', async () => {
    const { batch, failedJobs } = await batchWithFailedJobs(4);
    const failed = await failedJobs();
    expect(failed).toHaveLength(2);
    const lastAttempt = async () =>
      Math.max(
        ...(await api().get(`/engine-rest/batch/${batch.id}/items`).expect(200)).body.map(
          (item: { updated: string }) => Date.parse(item.updated),
        ),
      );
    const firstRun = await lastAttempt();

    const created = await api()
      .post('/engine-rest/job/retries')
      .send({ retries: 2, jobQuery: { jobDefinitionId: batch.batchJobDefinitionId, noRetriesLeft: true } })
      .expect(200);
    expect(created.body).toMatchObject({ type: 'set-job-retries', totalJobs: 1, size: 1, jobsCreated: 0 });
    await waitUntil(() => batchGone(created.body.id as string), 30_000);

    const items = (await api().get(`/engine-rest/batch/${created.body.id}/items`).expect(200)).body;
    expect(items.map((item: { jobId: string }) => item.jobId).sort()).toEqual(
      failed.map((job) => job.id).sort(),
    );
    expect(items.every((item: { state: string }) => item.state === 'done')).toBe(true);
    // The retried jobs ran again and failed again (the instances still do not exist).
    await waitUntil(
      async () => (await lastAttempt()) > firstRun && (await failedJobs()).length === 2,
      30_000,
    );
    const history = (await api().get(`/engine-rest/history/batch/${created.body.id}`).expect(200)).body;
    expect(history).toMatchObject({ type: 'set-job-retries', endTime: expect.any(String) });
  });

  it('lets a migration batch complete once its failed jobs are retried by id after the cause is fixed', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'fork', 'forkRetries');
    const definition = (await stack.services.repository.getDefinition(v1))!;
    const ids = (
      await stack.services.runtime.start(
        definition,
        Array.from({ length: 4 }, () => ({ businessKey: null, variables: {} })),
      )
    ).map((state) => state.id);
    // Every instance waits in taskA and taskB; the plan maps taskA only, so the first two fail.
    await cancelActivity(stack.app, ids.slice(2), 'taskB');
    const created = await migrateForkTaskA(stack.app, { v1, v2 }, ids);
    const failedJobs = () => failedBatchJobs(stack.app, created.batchJobDefinitionId);
    await waitUntil(async () => (await failedJobs()).length === 1, 30_000);
    await api().get(`/engine-rest/batch/${created.id}`).expect(200);

    await cancelActivity(stack.app, ids.slice(0, 2), 'taskB');
    const retries = await api()
      .post('/engine-rest/job/retries')
      .send({ retries: 1, jobIds: (await failedJobs()).map((job) => job.id) })
      .expect(200);
    await waitUntil(() => batchGone(retries.body.id as string), 30_000);
    await waitUntil(() => batchGone(created.id), 30_000);
    expect(
      (await api().get(`/engine-rest/process-instance/count?processDefinitionId=${v2}`).expect(200)).body
        .count,
    ).toBe(4);
    expect((await api().get(`/engine-rest/batch/${created.id}/items/count?state=done`)).body.count).toBe(4);
  });

  it('makes a batch job given retries with a dueDate wait until then, and runs it then', async () => {
    const { batch, failedJobs } = await batchWithFailedJobs(2);
    const [job] = await failedJobs();
    const lastAttempt = async () =>
      Math.max(
        ...(await api().get(`/engine-rest/batch/${batch.id}/items`).expect(200)).body.map(
          (item: { updated: string }) => Date.parse(item.updated),
        ),
      );
    const firstRun = await lastAttempt();
    const due = new Date(Math.ceil((Date.now() + 4_000) / 1000) * 1000);
    await api()
      .put(`/engine-rest/job/${job!.id}/retries`)
      .send({ retries: 1, dueDate: formatDate(due) })
      .expect(204);

    const waiting = (await api().get(`/engine-rest/job/${job!.id}`).expect(200)).body;
    expect(waiting).toMatchObject({ retries: 1, dueDate: formatDate(due) });
    const executable = await api()
      .get(`/engine-rest/job/count?jobDefinitionId=${batch.batchJobDefinitionId}&executable=true`)
      .expect(200);
    expect(executable.body.count).toBe(0);
    // Well before the due date the job has not run again; after it, it has (and failed again).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await lastAttempt()).toBe(firstRun);
    expect(Date.now()).toBeLessThan(due.getTime());
    await waitUntil(async () => (await failedJobs()).length === 1, 30_000);
    const rerun = await lastAttempt();
    expect(rerun).toBeGreaterThanOrEqual(due.getTime());
  });

  it('records an unknown job as a failed item of the retries batch', async () => {
    const created = await api()
      .post('/engine-rest/job/retries')
      .send({ retries: 1, jobIds: ['no-such-job'] })
      .expect(200);
    await waitUntil(
      async () =>
        (await api().get(`/engine-rest/batch/${created.body.id}/items/count?state=failed`)).body.count === 1,
      30_000,
    );
    const [item] = (await api().get(`/engine-rest/batch/${created.body.id}/items?state=failed`).expect(200))
      .body;
    expect(item).toMatchObject({
      jobId: 'no-such-job',
      error: { message: "No job found with id 'no-such-job'." },
    });
  });
});
