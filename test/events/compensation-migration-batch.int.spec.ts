import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

const INSTANCES = 200;

/**
 * A migration batch over instances whose completed sub-process waits to be compensated: its snapshot
 * and compensate subscriptions migrate through a real worker, and compensation runs on the target.
 */
describe('migrating compensation subscriptions in a batch', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '25', BATCH_JOBS_PER_SEED: '4', BATCH_POLL_TIME_MS: '60000' },
    });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it(`migrates ${INSTANCES} instances with their snapshots and compensate subscriptions`, async () => {
    const ids: string[] = [];
    for (const version of ['v1', 'v2']) {
      const xml = withKey(
        fixture('events/compensation/compensationSub.bpmn'),
        'compensationSub',
        'compBatch',
      );
      const deployed = await deploy(stack.app, [{ name: `comp-${version}.bpmn`, content: xml }]).expect(200);
      ids.push(Object.keys(deployed.body.deployedProcessDefinitions as object)[0]!);
    }
    const [v1, v2] = ids as [string, string];
    const definition = (await stack.services.repository.getDefinition(v1))!;
    await stack.services.runtime.start(
      definition,
      Array.from({ length: INSTANCES }, () => ({ businessKey: null, variables: {} })),
    );
    const subscriptions = async () =>
      (await api().get(`/engine-rest/event-subscription?eventType=compensate&maxResults=10000`).expect(200))
        .body as Array<{ id: string; activityId: string; processInstanceId: string }>;
    const before = await subscriptions();
    expect(before).toHaveLength(2 * INSTANCES);

    const plan = (
      await api()
        .post('/engine-rest/migration/generate')
        .send({ sourceProcessDefinitionId: v1, targetProcessDefinitionId: v2 })
        .expect(200)
    ).body;
    expect(
      plan.instructions.map((i: { sourceActivityIds: string[] }) => i.sourceActivityIds[0]).sort(),
    ).toEqual(['bookHotelBoundary', 'booking', 'confirm']);
    const created = await api()
      .post('/engine-rest/migration/executeAsync')
      .send({ migrationPlan: plan, processInstanceQuery: { processDefinitionId: v1 } })
      .expect(200);
    const batchId = created.body.id as string;
    await waitUntil(async () => (await api().get(`/engine-rest/batch/${batchId}`)).status === 404, 240_000);

    const count = async (definitionId: string) =>
      (await api().get(`/engine-rest/process-instance/count?processDefinitionId=${definitionId}`)).body.count;
    expect(await count(v1)).toBe(0);
    expect(await count(v2)).toBe(INSTANCES);
    const after = await subscriptions();
    expect(after.map((s) => s.id).sort()).toEqual(before.map((s) => s.id).sort());
    const history = (await api().get(`/engine-rest/history/batch/${batchId}`).expect(200)).body;
    expect(history.endTime).not.toBeNull();

    const instanceId = after[0]!.processInstanceId;
    const [task] = (await api().get(`/engine-rest/task?processInstanceId=${instanceId}`).expect(200)).body;
    await api().post(`/engine-rest/task/${task.id}/complete`).send({}).expect(204);
    const tree = (await api().get(`/engine-rest/process-instance/${instanceId}/activity-instances`)).body;
    expect(tree.processDefinitionId).toBe(v2);
    const booking = tree.childActivityInstances.find(
      (c: { activityId: string }) => c.activityId === 'booking',
    );
    expect(booking.childActivityInstances.map((c: { activityId: string }) => c.activityId)).toEqual([
      'cancelHotel',
    ]);
  });
});
