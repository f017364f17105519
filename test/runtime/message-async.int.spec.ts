import request from 'supertest';
import { startInstance } from '../support/instances';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/** `POST /process-instance/message-async`: Camunda's `correlate-message` batch, its checks and log entry. */
describe('correlating a message to many instances', () => {
  let stack: TestStack;
  let waiting: string[];
  let moved: string;
  const api = () => request(stack.app);
  const messageAsync = (body: object) => api().post('/engine-rest/process-instance/message-async').send(body);

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '2', BATCH_POLL_TIME_MS: '200' } });
    await deploy(stack.app, [{ name: 'messages.bpmn', content: fixture('messages.bpmn') }]).expect(200);
    waiting = [];
    for (let index = 0; index < 4; index++) {
      waiting.push(await startInstance(stack.app, 'payment', { businessKey: `pay-${index}` }));
    }
    moved = waiting.pop()!;
    await api()
      .post('/engine-rest/message')
      .send({ messageName: 'PaymentReceived', processInstanceId: moved })
      .expect(204);
  });
  afterAll(() => stack.close());

  it.each([
    [{ processInstanceIds: ['a'] }, 'messageName is null'],
    [{ messageName: 'PaymentReceived' }, 'No process instances found.'],
    [
      { messageName: 'PaymentReceived', processInstanceQuery: { businessKey: 'none' } },
      'Process instance ids cannot be empty: process instance ids is empty',
    ],
  ])('answers %j with a 400 and creates no batch', async (body, message) => {
    const before = (await api().get('/engine-rest/batch/count').expect(200)).body.count;

    const response = await messageAsync(body).expect(400);

    expect(response.body.message).toBe(message);
    expect((await api().get('/engine-rest/batch/count').expect(200)).body.count).toBe(before);
  });

  it('delivers the message with its variables to each waiting instance; one that no longer waits fails its item', async () => {
    const created = await messageAsync({
      messageName: 'PaymentReceived',
      processInstanceIds: [moved],
      historicProcessInstanceQuery: { processInstanceBusinessKeyLike: 'pay-%', unfinished: true },
      variables: { paid: { value: true, type: 'Boolean' } },
    }).expect(200);
    expect(created.body).toMatchObject({ type: 'correlate-message', totalJobs: 2 });

    const stopWorker = await startTestWorker(stack);
    try {
      await waitUntil(async () => {
        const progress = await api().get(`/engine-rest/batch/${created.body.id}/progress`).expect(200);
        return progress.body.total === 4 && progress.body.pending === 0;
      }, 30_000);
    } finally {
      await stopWorker();
    }

    const progress = await api().get(`/engine-rest/batch/${created.body.id}/progress`).expect(200);
    expect(progress.body).toMatchObject({ total: 4, done: 3, failed: 1 });
    const failures = await api().get(`/engine-rest/batch/${created.body.id}/failures`).expect(200);
    expect(failures.body).toEqual([
      expect.objectContaining({ count: 1, sample: expect.objectContaining({ processInstanceId: moved }) }),
    ]);
    for (const id of waiting) {
      const subscriptions = await api()
        .get(`/engine-rest/event-subscription?processInstanceId=${id}`)
        .expect(200);
      expect(subscriptions.body).toEqual([]);
      const history = await api()
        .get(`/engine-rest/history/variable-instance?processInstanceId=${id}&variableName=paid`)
        .expect(200);
      expect(history.body).toEqual([expect.objectContaining({ value: true, type: 'Boolean' })]);
    }
    const logged = await api()
      .get('/engine-rest/history/user-operation?operationType=CorrelateMessage')
      .expect(200);
    expect(
      (logged.body as Array<{ property: string; newValue: string }>).map((entry) => [
        entry.property,
        entry.newValue,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['messageName', 'PaymentReceived'],
        ['nrOfInstances', '4'],
        ['nrOfVariables', '1'],
        ['async', 'true'],
      ]),
    );
  }, 60_000);
});
