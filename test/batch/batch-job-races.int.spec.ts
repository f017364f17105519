import type { Job } from 'bullmq';
import request from 'supertest';
import { sqlOf, type Sql } from '@libs/persistence';
import { QUEUES, type JobPayload } from '@libs/queue';
import { waitUntil } from '../support/redis-server';
import { seedWaitingOrders } from '../support/instances';
import { startTestStack, type TestStack } from '../support/test-stack';

/**
 * The two races of a batch's controls with a run of an execution job, played out step by step: an
 * activation while a run is just parking its job, and a deletion of a job whose run is in progress.
 */
describe('batch controls meeting a run in progress', () => {
  let stack: TestStack;
  let sql: Sql;
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '10' } });
    sql = sqlOf(stack.infrastructure.dataSource);
  });
  afterAll(() => stack.close());

  /** A deletion batch over `count` new instances, seeded (its execution jobs dispatched); resolves to its id. */
  const seededDeletionBatch = async (key: string, count: number) => {
    await seedWaitingOrders(stack, key, count);
    const batchId = (
      await api()
        .post('/engine-rest/process-instance/delete')
        .send({ processInstanceQuery: { processDefinitionKey: key } })
        .expect(200)
    ).body.id as string;
    while ((await stack.services.batchSteps.seed(batchId)) !== 'seeded');
    return batchId;
  };
  const doneItems = async (batchId: string) =>
    (await api().get(`/engine-rest/batch/${batchId}/items/count?state=done`).expect(200)).body
      .count as number;
  /** Whether another connection is running a statement whose text matches `pattern` (SQL LIKE). */
  const runningElsewhere = async (pattern: string) =>
    (
      await sql.select(
        'SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE ?',
        [pattern],
      )
    ).length > 0;

  it('runs a job again that a run parked while its batch was being activated', async () => {
    const batchId = await seededDeletionBatch('reactivated', 20);
    await api().put(`/engine-rest/batch/${batchId}/suspended`).send({ suspended: true }).expect(204);

    // A worker whose first run parks its job (the batch is suspended) and is still finishing when the
    // batch is activated: activation must not count on the entry that is about to complete.
    let signalParked!: () => void;
    const parked = new Promise<void>((resolve) => (signalParked = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const worker = stack.infrastructure.queues.worker(
      QUEUES.batchExecution,
      async (job: Job<JobPayload<'batch-execution'>>) => {
        const outcome = await stack.services.batchSteps.execute(job.data.batchId, job.data.jobId);
        if (first && outcome === 'parked') {
          first = false;
          signalParked();
          await released;
        }
        return outcome;
      },
      { concurrency: 1 },
    );
    try {
      await parked;
      await api().put(`/engine-rest/batch/${batchId}/suspended`).send({ suspended: false }).expect(204);
      release();
      // No reconciler runs here: only the activation's own dispatch can finish the batch.
      await waitUntil(async () => (await doneItems(batchId)) === 20, 15_000);
    } finally {
      release();
      await worker.close();
    }
  });

  it('answers 404 to deleting a job whose run in progress completes it, never a false 204', async () => {
    const batchId = await seededDeletionBatch('deleted-while-running', 10);
    const [job] = (
      await api()
        .get(
          `/engine-rest/job?jobDefinitionId=${(await stack.services.batches.get(batchId))!.batchJobDefinitionId}`,
        )
        .expect(200)
    ).body as Array<{ id: string }>;
    const [instance] = await sql.select<{ id: string }>(
      "SELECT id FROM ru_process_instance WHERE definition_key = 'deleted-while-running' LIMIT 1",
    );

    // Another transaction holds one of the job's instances, so the run waits with its job row locked.
    const holder = stack.infrastructure.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query('SELECT id FROM ru_process_instance WHERE id = ? FOR UPDATE', [instance!.id]);
      const run = stack.services.batchSteps.execute(batchId, job!.id);
      await waitUntil(() => runningElsewhere('%FROM ru_process_instance WHERE id IN%FOR UPDATE%'));
      const deletion = api()
        .delete(`/engine-rest/job/${job!.id}`)
        .then((response) => response);
      await waitUntil(() => runningElsewhere(`%ru_job%${job!.id}%`));
      await holder.commitTransaction();

      expect(await run).toBe('done');
      const answer = await deletion;
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({
        type: 'InvalidRequestException',
        message: `No job found with id '${job!.id}'`,
        code: null,
      });
      expect(await doneItems(batchId)).toBe(10);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });
});
