import request from 'supertest';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture } from '../support/rest';
import { startInstancesOf } from '../support/migration';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/**
 * Suspending and activating process instances in groups: `PUT /process-instance/suspended` (by
 * definition, or by ids and query) and `POST /process-instance/suspended-async` (a batch), with
 * Camunda's errors; a suspended instance's asynchronous continuations wait, activation runs them.
 */
describe('suspension of process-instance groups', () => {
  let stack: TestStack;
  let definitionId: string;
  let stopWorker: (() => Promise<void>) | undefined;
  const api = () => request(stack.app);
  const count = async (query: string) =>
    (await api().get(`/engine-rest/${query}`).expect(200)).body.count as number;
  const suspendedOf = (id: string) =>
    count(`process-instance/count?processDefinitionId=${id}&suspended=true`);
  const suspend = (body: object) => api().put('/engine-rest/process-instance/suspended').send(body);

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '20', BATCH_POLL_TIME_MS: '60000' } });
    const deployed = await deploy(stack.app, [
      { name: 'async-continuations.bpmn', content: fixture('async-continuations.bpmn') },
    ]).expect(200);
    definitionId = (
      Object.values(deployed.body.deployedProcessDefinitions as object) as Array<{ id: string; key: string }>
    ).find((definition) => definition.key === 'asyncStart')!.id;
  });
  afterAll(async () => {
    await stopWorker?.();
    await stack.close();
  });

  it('suspends every running instance of a definition by id, and activates them by key', async () => {
    const other = (await api().get('/engine-rest/process-definition/key/asyncReview').expect(200)).body.id;
    await startInstancesOf(stack, definitionId, 5);
    await startInstancesOf(stack, other, 2);

    await suspend({ suspended: true, processDefinitionId: definitionId }).expect(204);
    expect(await suspendedOf(definitionId)).toBe(5);
    expect(await suspendedOf(other)).toBe(0);

    await suspend({ suspended: false, processDefinitionKey: 'asyncStart' }).expect(204);
    expect(await suspendedOf(definitionId)).toBe(0);
  });

  it('suspends the union of explicit ids and a query, skipping ids that are not running', async () => {
    const [first, second, third] = await startInstancesOf(stack, definitionId, 3);

    await suspend({
      suspended: true,
      processInstanceIds: [first, 'no-such-instance'],
      processInstanceQuery: { processInstanceIds: [second] },
    }).expect(204);

    const suspendedIds = (
      await api()
        .get(`/engine-rest/process-instance?processDefinitionId=${definitionId}&suspended=true`)
        .expect(200)
    ).body.map((instance: { id: string }) => instance.id);
    expect(new Set(suspendedIds)).toEqual(new Set([first, second]));
    expect(suspendedIds).not.toContain(third);
    await suspend({ suspended: false, processDefinitionId: definitionId }).expect(204);
  });

  it.each([
    [
      { suspended: true, processDefinitionId: 'x', processInstanceIds: ['a'] },
      'Choose either a single processInstance with processDefinitionId or processDefinitionKey or a group of processInstances with processInstanceIds, procesInstanceQuery or historicProcessInstanceQuery.',
    ],
    [
      { suspended: true, processDefinitionId: 'x', processDefinitionKey: 'y' },
      'Only one of processDefinitionId or processDefinitionKey should be set to update the suspension state.',
    ],
    [
      { suspended: true },
      'Either processDefinitionId or processDefinitionKey should be set to update the suspension state.',
    ],
  ])('answers %j with Camunda’s 400', async (body, message) => {
    const response = await suspend(body).expect(400);

    expect(response.body).toEqual({ type: 'InvalidRequestException', message, code: null });
  });

  it('refuses an empty async selection', async () => {
    const empty = await api()
      .post('/engine-rest/process-instance/suspended-async')
      .send({ suspended: true })
      .expect(400);

    expect(empty.body.message).toBe(
      'Either processInstanceIds, processInstanceQuery or historicProcessInstanceQuery should be set to update the suspension state.',
    );
  });

  it('keeps the async jobs of suspended instances waiting, and a suspended-async batch resumes them', async () => {
    const key = (await api().get('/engine-rest/process-definition/key/asyncParallel').expect(200)).body.id;
    const ids = await startInstancesOf(stack, key, 30);
    await suspend({ suspended: true, processDefinitionId: key }).expect(204);
    stopWorker = await startTestWorker(stack);

    // The worker picks the queued jobs up, finds their instances suspended and leaves them.
    await waitUntil(
      async () =>
        (await stack.services.asyncContinuationQueue.queue.getJobCounts('waiting', 'active')).waiting === 0,
      20_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await count(`job/count?processDefinitionId=${key}`)).toBe(60);
    expect(await count(`task/count?processDefinitionId=${key}`)).toBe(0);

    const batch = (
      await api()
        .post('/engine-rest/process-instance/suspended-async')
        .send({ suspended: false, processInstanceQuery: { processDefinitionId: key } })
        .expect(200)
    ).body;
    expect(batch).toMatchObject({ type: 'instance-update-suspension-state', totalJobs: 2 });

    await waitUntil(
      async () => (await count(`task/count?processDefinitionId=${key}`)) === ids.length,
      30_000,
    );
    expect(await count(`job/count?processDefinitionId=${key}`)).toBe(0);
    expect(await suspendedOf(key)).toBe(0);
    await waitUntil(async () => (await api().get(`/engine-rest/batch/${batch.id}`)).status === 404, 30_000);
  });
});
