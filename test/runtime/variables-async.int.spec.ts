import request from 'supertest';
import { startInstance } from '../support/instances';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/** `POST /process-instance/variables-async`: Camunda's `set-variables` batch, with its checks and log entry. */
describe('setting variables on many instances', () => {
  let stack: TestStack;
  let ids: string[];
  const api = () => request(stack.app);
  const setAsync = (body: object) => api().post('/engine-rest/process-instance/variables-async').send(body);
  const variables = { status: { value: 'checked', type: 'String' }, round: { value: 3, type: 'Integer' } };

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '2', BATCH_POLL_TIME_MS: '200' } });
    await deploy(stack.app, [
      { name: 'vars.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'vars') },
    ]).expect(200);
    ids = [];
    for (let index = 0; index < 4; index++) {
      ids.push(await startInstance(stack.app, 'vars', { businessKey: `vars-${index}` }));
    }
    await api().delete(`/engine-rest/process-instance/${ids[3]}`).expect(204);
  });
  afterAll(() => stack.close());

  it.each([
    [{ processInstanceIds: ['a'] }, 'variables is null'],
    [{ processInstanceIds: ['a'], variables: {} }, 'variables is empty'],
    [{ variables }, 'No process instances found.'],
    [{ processInstanceQuery: { businessKey: 'none' }, variables }, 'processInstanceIds is empty'],
    [{ processInstanceIds: [null], variables }, 'processInstanceIds contains null value'],
  ])('answers %j with a 400 and creates no batch', async (body, message) => {
    const before = (await api().get('/engine-rest/batch/count').expect(200)).body.count;

    const response = await setAsync(body).expect(400);

    expect(response.body.message).toBe(message);
    expect((await api().get('/engine-rest/batch/count').expect(200)).body.count).toBe(before);
  });

  it('refuses a variable it cannot convert', async () => {
    const response = await setAsync({
      processInstanceIds: [ids[0]],
      variables: { n: { value: 'x', type: 'Integer' } },
    }).expect(400);

    expect(response.body.type).toBe('InvalidRequestException');
    expect(response.body.message).toMatch(
      /^Cannot set variables: Cannot convert value 'x' of type 'Integer'/,
    );
  });

  it('sets the variables on running instances of the ids and of the historic query, logging the operation', async () => {
    const created = await setAsync({
      processInstanceIds: [ids[0]],
      historicProcessInstanceQuery: { processInstanceBusinessKeyLike: 'vars-%' },
      variables,
    }).expect(200);
    expect(created.body).toMatchObject({ type: 'set-variables', totalJobs: 2 });

    const stopWorker = await startTestWorker(stack);
    try {
      await waitUntil(async () => {
        const progress = await api().get(`/engine-rest/batch/${created.body.id}/progress`).expect(200);
        return progress.body.endTime !== null;
      }, 30_000);
    } finally {
      await stopWorker();
    }

    const progress = await api().get(`/engine-rest/batch/${created.body.id}/progress`).expect(200);
    expect(progress.body).toMatchObject({ total: 3, done: 3, failed: 0 });
    for (const id of ids.slice(0, 3)) {
      const set = await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200);
      expect(set.body).toEqual({
        status: { type: 'String', value: 'checked', valueInfo: {} },
        round: { type: 'Integer', value: 3, valueInfo: {} },
      });
    }
    const logged = await api()
      .get('/engine-rest/history/user-operation?operationType=SetVariables')
      .expect(200);
    expect(
      (logged.body as Array<{ property: string; newValue: string; batchId: string }>).map((entry) => [
        entry.property,
        entry.newValue,
        entry.batchId,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['nrOfInstances', '3', created.body.id],
        ['nrOfVariables', '2', created.body.id],
        ['async', 'true', created.body.id],
      ]),
    );
  }, 60_000);
});
