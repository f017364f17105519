import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

const INSTANCES = 60;

/**
 * A migration batch over instances waiting inside a transaction: the transaction instances keep their
 * ids through a real worker, and a cancel end event then compensates and cancels on the target.
 */
describe('migrating instances inside a transaction in a batch', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '20', BATCH_JOBS_PER_SEED: '2', BATCH_POLL_TIME_MS: '60000' },
    });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it(`migrates ${INSTANCES} instances with their transaction instances`, async () => {
    const ids: string[] = [];
    for (const version of ['v1', 'v2']) {
      const xml = withKey(
        fixture('events/transaction/transactionWaiting.bpmn'),
        'transactionWaiting',
        'txBatch',
      );
      const deployed = await deploy(stack.app, [{ name: `tx-${version}.bpmn`, content: xml }]).expect(200);
      ids.push(Object.keys(deployed.body.deployedProcessDefinitions as object)[0]!);
    }
    const [v1, v2] = ids as [string, string];
    const definition = (await stack.services.repository.getDefinition(v1))!;
    await stack.services.runtime.start(
      definition,
      Array.from({ length: INSTANCES }, () => ({ businessKey: null, variables: {} })),
    );
    const transactions = async (definitionId: string) =>
      (
        await api()
          .get(`/engine-rest/history/activity-instance?activityId=tx&processDefinitionId=${definitionId}`)
          .expect(200)
      ).body as Array<{ id: string }>;
    const before = (await transactions(v1)).map((entry) => entry.id).sort();
    expect(before).toHaveLength(INSTANCES);

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
    const batchId = created.body.id as string;
    await waitUntil(async () => (await api().get(`/engine-rest/batch/${batchId}`)).status === 404, 240_000);

    const count = async (definitionId: string) =>
      (await api().get(`/engine-rest/process-instance/count?processDefinitionId=${definitionId}`)).body.count;
    expect(await count(v1)).toBe(0);
    expect(await count(v2)).toBe(INSTANCES);
    const instances = (await api().get(`/engine-rest/process-instance?processDefinitionId=${v2}`).expect(200))
      .body as Array<{ id: string }>;
    const treeOf = async (id: string) =>
      (await api().get(`/engine-rest/process-instance/${id}/activity-instances`).expect(200)).body as {
        childActivityInstances: Array<{ id: string; activityId: string; activityType: string }>;
      };
    const migrated = await Promise.all(
      instances.map(async ({ id }) => (await treeOf(id)).childActivityInstances[0]!),
    );
    expect(migrated.map((tx) => tx.id).sort()).toEqual(before);
    expect(new Set(migrated.map((tx) => tx.activityType))).toEqual(new Set(['transaction']));

    const instanceId = instances[0]!.id;
    const taskOf = async (key: string) =>
      (
        await api()
          .get(`/engine-rest/task?processInstanceId=${instanceId}&taskDefinitionKey=${key}`)
          .expect(200)
      ).body[0] as { id: string };
    await api()
      .post(`/engine-rest/task/${(await taskOf('confirm')).id}/complete`)
      .send({})
      .expect(204);
    await api()
      .post(`/engine-rest/task/${(await taskOf('undoBook')).id}/complete`)
      .send({})
      .expect(204);
    const after = await treeOf(instanceId);
    expect(after.childActivityInstances.map((child) => child.activityId)).toEqual(['afterCancellation']);
  });
});
