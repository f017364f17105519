import request from 'supertest';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';
import { startInstancesOf } from '../support/migration';

/** A migration batch over instances waiting in an event-based gateway, on a real worker. */
describe('migrating instances waiting in an event-based gateway with a batch', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '100', BATCH_JOBS_PER_SEED: '10', BATCH_POLL_TIME_MS: '60000' },
    });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it('migrates 1,000 instances with every subscription and timer migrated once', async () => {
    const xml = fixture('signals/event-gateway.bpmn');
    const deployed = async (content: string) =>
      (
        Object.values(
          (await deploy(stack.app, [{ name: 'gw.bpmn', content }]).expect(200)).body
            .deployedProcessDefinitions,
        ) as Array<{ id: string }>
      )[0]!.id;
    const v1 = await deployed(xml);
    const v2 = await deployed(xml.replace('<userTask id="ship" />', '<userTask id="ship" name="Ship" />'));
    const count = 1_000;
    await startInstancesOf(stack, v1, count);
    const sql = stack.infrastructure.dataSource;
    const before = await sql.query('SELECT id, type, event_name FROM ru_event_subscription ORDER BY id');
    const jobsBefore = await sql.query("SELECT id, due_date FROM ru_job WHERE type = 'timer' ORDER BY id");
    expect(before).toHaveLength(2 * count);
    expect(jobsBefore).toHaveLength(count);

    const created = await api()
      .post('/engine-rest/migration/executeAsync')
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: v1,
          targetProcessDefinitionId: v2,
          instructions: ['gw', 'payment', 'recalled', 'dayLater'].map((id) => ({
            sourceActivityIds: [id],
            targetActivityIds: [id],
          })),
        },
        processInstanceQuery: { processDefinitionId: v1 },
      })
      .expect(200);
    const batchId = created.body.id as string;
    await waitUntil(async () => (await api().get(`/engine-rest/batch/${batchId}`)).status === 404, 120_000);

    const count2 = await api()
      .get(`/engine-rest/process-instance/count?processDefinitionId=${v2}`)
      .expect(200);
    expect(count2.body.count).toBe(count);
    // The same subscriptions and timers (ids, names, due dates), each exactly once, on the new definition.
    expect(await sql.query('SELECT id, type, event_name FROM ru_event_subscription ORDER BY id')).toEqual(
      before,
    );
    expect(await sql.query("SELECT id, due_date FROM ru_job WHERE type = 'timer' ORDER BY id")).toEqual(
      jobsBefore,
    );
    const jobsOnV2 = await api().get(`/engine-rest/job/count?processDefinitionId=${v2}`).expect(200);
    expect(jobsOnV2.body.count).toBe(count);

    await api().post('/engine-rest/signal').send({ name: 'recall' }).expect(204);
    expect(
      (await api().get(`/engine-rest/process-instance/count?processDefinitionId=${v2}`)).body.count,
    ).toBe(0);
  });
});
