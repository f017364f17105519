import request from 'supertest';
import { cancelInstance, setVariables, typedValueOf } from '@libs/engine';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

const COUNT = 500;

interface Tree {
  readonly activityId: string;
  readonly childActivityInstances: readonly Tree[];
}

/** `POST /process-definition/{id}/restart-async`: Camunda's `instance-restart` batch through a real worker. */
describe('restarting ended instances as a batch', () => {
  let stack: TestStack;
  let definitionId: string;
  let ended: string[];
  let running: string;
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '50', BATCH_POLL_TIME_MS: '200' } });
    const deployed = await deploy(stack.app, [
      { name: 'order.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'restart-batch') },
    ]).expect(200);
    definitionId = (Object.values(deployed.body.deployedProcessDefinitions)[0] as { id: string }).id;
    const definition = (await stack.services.repository.getDefinition(definitionId))!;
    const started = await stack.services.runtime.start(
      definition,
      Array.from({ length: COUNT }, (_, index) => ({
        businessKey: `order-${index}`,
        variables: { amount: typedValueOf(index), origin: typedValueOf('first start') },
      })),
    );
    ended = started.map((state) => state.id);
    // Changed after the start, then ended: the initial values are what the restart must bring back.
    await stack.services.runtime.updateMany(ended, (model, state, ctx) =>
      setVariables(model, state, { variables: { amount: typedValueOf(-1), later: typedValueOf(true) } }, ctx),
    );
    await stack.services.runtime.updateMany(ended, (model, state, ctx) =>
      cancelInstance(model, state, { deleteReason: 'gone' }, ctx),
    );
    running = (
      await stack.services.runtime.start(definition, [{ businessKey: 'still-running', variables: {} }])
    )[0]!.id;
  }, 120_000);
  afterAll(() => stack.close());

  it('starts every ended instance anew with its initial variables at the instruction; the others fail their items', async () => {
    const created = await api()
      .post(`/engine-rest/process-definition/${definitionId}/restart-async`)
      .send({
        processInstanceIds: [running, 'unknown-instance'],
        historicProcessInstanceQuery: { processDefinitionId: definitionId, finished: true },
        instructions: [{ type: 'startBeforeActivity', activityId: 'approve' }],
        initialVariables: true,
      })
      .expect(200);
    expect(created.body).toMatchObject({
      type: 'instance-restart',
      totalJobs: 11,
      invocationsPerBatchJob: 50,
    });

    const stopWorker = await startTestWorker(stack);
    try {
      await waitUntil(async () => {
        const progress = await api().get(`/engine-rest/batch/${created.body.id}/progress`).expect(200);
        return progress.body.done + progress.body.failed === COUNT + 2;
      }, 90_000);
    } finally {
      await stopWorker();
    }

    const progress = await api().get(`/engine-rest/batch/${created.body.id}/progress`).expect(200);
    expect(progress.body).toMatchObject({ total: COUNT + 2, done: COUNT, failed: 2 });
    const failures = await api()
      .get(`/engine-rest/batch/${created.body.id}/items`)
      .query({ state: 'failed' })
      .expect(200);
    expect(
      (failures.body as Array<{ processInstanceId: string; error: { message: string } }>)
        .map((item) => [item.processInstanceId, item.error.message])
        .sort(),
    ).toEqual(
      [
        [
          running,
          `ENGINE-13040 Historic process instance '${running}' cannot be restarted. It is not completed or terminated.`,
        ],
        ['unknown-instance', 'Historic process instance cannot be found: historicProcessInstanceId is null'],
      ].sort(),
    );

    const restarted = await api()
      .post('/engine-rest/history/process-instance')
      .query({ maxResults: COUNT + 10 })
      .send({ processDefinitionId: definitionId, unfinished: true })
      .expect(200);
    const byOrigin = new Map(
      (
        restarted.body as Array<{
          id: string;
          businessKey: string;
          restartedProcessInstanceId: string | null;
        }>
      )
        .filter((instance) => instance.restartedProcessInstanceId !== null)
        .map((instance) => [instance.restartedProcessInstanceId!, instance]),
    );
    expect([...byOrigin.keys()].sort()).toEqual([...ended].sort());
    for (const index of [0, 1, 250, COUNT - 1]) {
      const instance = byOrigin.get(ended[index]!)!;
      expect(instance.businessKey).toBe(`order-${index}`);
      const tree = (
        await api().get(`/engine-rest/process-instance/${instance.id}/activity-instances`).expect(200)
      ).body as Tree;
      expect([tree.activityId, tree.childActivityInstances.map((child) => child.activityId)]).toEqual([
        definitionId,
        ['approve'],
      ]);
      const variables = await api().get(`/engine-rest/process-instance/${instance.id}/variables`).expect(200);
      expect(variables.body).toEqual({
        amount: { type: 'Integer', value: index, valueInfo: {} },
        origin: { type: 'String', value: 'first start', valueInfo: {} },
      });
    }
    const tasks = await api()
      .get('/engine-rest/history/task/count')
      .query({ processDefinitionId: definitionId, unfinished: true });
    expect(tasks.body).toEqual({ count: COUNT + 1 });
    const logged = await api()
      .get('/engine-rest/history/user-operation')
      .query({ operationType: 'RestartProcessInstance', batchId: created.body.id })
      .expect(200);
    expect(
      logged.body.map((entry: { property: string; newValue: string }) => [entry.property, entry.newValue]),
    ).toEqual(
      expect.arrayContaining([
        ['nrOfInstances', String(COUNT + 2)],
        ['async', 'true'],
      ]),
    );
  }, 180_000);
});
